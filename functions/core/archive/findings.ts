/**
 * What `duban archive verify` (and the auditor's page in the portal) reports: one finding per
 * fact that breaks the archive's proof, each with a kind a machine can act on and a line a
 * person can read, in Chinese and English.
 */

export const FINDING_KINDS = [
  /** An object's bytes or size differ from what its manifest (or its name, for raw/) records. */
  'CHANGED',
  /** Something the chain, a manifest or the ledger names is not there. */
  'MISSING',
  /** A manifest is not the one that was issued: its sha256 differs from the ledger, the audit log or the seal. */
  'FORGED-MANIFEST',
  /** The links do not follow one another: a number missing, out of order, or a predecessor that does not match. */
  'BROKEN-CHAIN',
  /** An archived manifest whose link was never signed, or a version without its seal. */
  'UNSIGNED',
  /** A signature that does not verify, or that another key made. */
  'BAD-SIGNATURE',
  /** An object or version folder that no link, manifest or submission accounts for. */
  'ORPHAN',
  /** A manifest names a file outside its version folder, or by a name that is not a plain relative path. */
  'UNSAFE-NAME',
  /** On AWS: an archived key has an older version or a delete marker. */
  'OVERWRITTEN',
  /** On AWS: an archived object's Object Lock is not compliance mode for the full term. */
  'RETENTION',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  readonly kind: FindingKind;
  /** The object key (or ledger record) the finding is about. */
  readonly key: string;
  /** What is wrong, in Chinese. */
  readonly zh: string;
  /** What is wrong, in English. */
  readonly en: string;
  readonly expected?: string;
  readonly actual?: string;
  /** The chain link concerned, when there is one. */
  readonly seq?: number;
  /** The whole finding on one line: kind, key, Chinese / English. */
  readonly line: string;
}

export function finding(
  kind: FindingKind,
  key: string,
  zh: string,
  en: string,
  extra: { expected?: string; actual?: string; seq?: number } = {},
): Finding {
  return {
    kind,
    key,
    zh,
    en,
    ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
    ...(extra.actual !== undefined ? { actual: extra.actual } : {}),
    ...(extra.seq !== undefined ? { seq: extra.seq } : {}),
    line: `${kind.padEnd(15)} ${key} (${zh} / ${en})`,
  };
}

/** Findings in a stable order: by key, then kind, so two runs over one archive print the same. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => a.key.localeCompare(b.key) || a.kind.localeCompare(b.kind));
}
