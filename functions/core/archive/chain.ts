import * as z from 'zod/mini';
import { positiveInt } from '../stored-record.ts';

/**
 * The archive's hash chain. Every issued bulletin version is one link, in issue order across
 * all periods: its manifest records the sequence number and the sha256 of the previous link's
 * manifest, and the link (that manifest's sha256 and its place) is signed when it becomes the
 * head. Changing any archived manifest therefore changes a hash that the next manifest, the
 * ledger, the audit log and the leaders' mail all recorded, and rewriting those too ends at a
 * head whose signature no one without the key can make again.
 *
 * A link is made in two steps, each one immutable record: the reservation (the conditional
 * write that takes sequence number N and fixes the predecessor), then the seal (manifest
 * sha256 and signature) once the manifest is archived. A run that dies between them leaves a
 * reservation without a manifest, which the next run passes over: its link names the last
 * sealed link as predecessor, so a skipped number is visible and signed, never silent.
 */

const SHA256 = /^[0-9a-f]{64}$/;
const sha256Hex = () => z.string().check(z.regex(SHA256));

/** Where a link sits: its number and its predecessor (none for the first link). */
export interface LinkPosition {
  readonly seq: number;
  readonly prevSeq: number | null;
  readonly prevManifestSha256: string | null;
}

/** Step one: sequence number N is taken for a version. */
export interface LinkReservation extends LinkPosition {
  readonly period: string;
  readonly version: number;
  readonly reservedAt: string;
  /** The invocation that reserved it; its own retry knows that run died. */
  readonly runId?: string;
  /**
   * A version issued before the chain existed, linked afterwards by `duban archive chain
   * --init`: its manifest does not carry the chain fields, only the ledger and the seal do.
   */
  readonly legacy?: boolean;
}

export const SIGNATURE_ALGORITHMS = ['ed25519', 'ecdsa-p256-sha256'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

export interface LinkSignature {
  readonly algorithm: SignatureAlgorithm;
  /** sha256 of the public key (DER SubjectPublicKeyInfo), hex: which key signed. */
  readonly keyFingerprint: string;
  /** The signature, base64 (Ed25519: 64 bytes; ECDSA: DER, as KMS returns it). */
  readonly value: string;
  /** The KMS key ARN on AWS; absent for a local key. */
  readonly keyRef?: string;
}

/** Step two: the manifest is archived and the link signed. */
export interface LinkSeal {
  readonly seq: number;
  readonly manifestSha256: string;
  /** The inputs fingerprint the manifest records (also printed on the PDF's last page). */
  readonly inputsHash: string;
  readonly sealedAt: string;
  readonly signature: LinkSignature;
}

export interface ChainLink extends LinkReservation {
  readonly seal?: LinkSeal;
}

export type SealedLink = ChainLink & { readonly seal: LinkSeal };

export const isSealed = (link: ChainLink): link is SealedLink => link.seal !== undefined;

export const linkReservationSchema = z.object({
  seq: positiveInt(),
  prevSeq: z.nullable(positiveInt()),
  prevManifestSha256: z.nullable(sha256Hex()),
  period: z.string(),
  version: positiveInt(),
  reservedAt: z.string(),
  runId: z.optional(z.string()),
  legacy: z.optional(z.boolean()),
});

export const linkSignatureSchema = z.object({
  algorithm: z.enum(SIGNATURE_ALGORITHMS),
  keyFingerprint: sha256Hex(),
  value: z.string(),
  keyRef: z.optional(z.string()),
});

export const linkSealSchema = z.object({
  seq: positiveInt(),
  manifestSha256: sha256Hex(),
  inputsHash: sha256Hex(),
  sealedAt: z.string(),
  signature: linkSignatureSchema,
});

/** What a link signs: its place, its version, its manifest and inputs. */
export interface LinkStatementFields extends LinkPosition {
  readonly district: string;
  readonly period: string;
  readonly version: number;
  readonly manifestSha256: string;
  readonly inputsHash: string;
  readonly legacy: boolean;
}

export const LINK_STATEMENT = 'duban-chain-link/1';

/**
 * The exact bytes a link's signature covers: one `name: value` line each, UTF-8, ending in
 * a newline. Plain text on purpose, so an auditor can check a signature with openssl from
 * the seal alone (docs/audit.md).
 */
export function linkStatement(f: LinkStatementFields): string {
  return [
    LINK_STATEMENT,
    `district: ${f.district}`,
    `seq: ${f.seq}`,
    `prev-seq: ${f.prevSeq ?? 'none'}`,
    `prev-manifest-sha256: ${f.prevManifestSha256 ?? 'none'}`,
    `period: ${f.period}`,
    `version: ${f.version}`,
    `manifest-sha256: ${f.manifestSha256}`,
    `inputs-sha256: ${f.inputsHash}`,
    `legacy: ${f.legacy ? 'yes' : 'no'}`,
    '',
  ].join('\n');
}

export function statementOf(
  district: string,
  link: LinkReservation,
  seal: Pick<LinkSeal, 'manifestSha256' | 'inputsHash'>,
): string {
  return linkStatement({
    district,
    seq: link.seq,
    prevSeq: link.prevSeq,
    prevManifestSha256: link.prevManifestSha256,
    period: link.period,
    version: link.version,
    manifestSha256: seal.manifestSha256,
    inputsHash: seal.inputsHash,
    legacy: link.legacy === true,
  });
}

export const SEAL_SCHEMA = 'duban-chain-seal/1';

/**
 * The seal as the archive keeps it (seal.json beside the manifest): the whole link, the
 * statement text and its signature. A copy of the archive carries its own proof.
 */
export interface SealDocument {
  readonly schema: typeof SEAL_SCHEMA;
  readonly district: string;
  readonly seq: number;
  readonly prevSeq: number | null;
  readonly prevManifestSha256: string | null;
  readonly period: string;
  readonly version: number;
  readonly legacy: boolean;
  readonly manifestSha256: string;
  readonly inputsHash: string;
  readonly sealedAt: string;
  readonly statement: string;
  readonly signature: LinkSignature;
}

/** The seal document repeats its reservation's place; those fields are read as the ledger reads them. */
export const sealDocumentSchema = z.extend(
  z.pick(linkReservationSchema, {
    seq: true,
    prevSeq: true,
    prevManifestSha256: true,
    period: true,
    version: true,
  }),
  {
    schema: z.literal(SEAL_SCHEMA),
    district: z.string(),
    legacy: z.boolean(),
    manifestSha256: sha256Hex(),
    inputsHash: sha256Hex(),
    sealedAt: z.string(),
    statement: z.string(),
    signature: linkSignatureSchema,
  },
);

export function sealDocument(district: string, link: SealedLink): SealDocument {
  return {
    schema: SEAL_SCHEMA,
    district,
    seq: link.seq,
    prevSeq: link.prevSeq,
    prevManifestSha256: link.prevManifestSha256,
    period: link.period,
    version: link.version,
    legacy: link.legacy === true,
    manifestSha256: link.seal.manifestSha256,
    inputsHash: link.seal.inputsHash,
    sealedAt: link.seal.sealedAt,
    statement: statementOf(district, link, link.seal),
    signature: link.seal.signature,
  };
}

/** The link a seal document describes (how an offline copy rebuilds its chain). */
export function linkOfSeal(doc: SealDocument): SealedLink {
  return {
    seq: doc.seq,
    prevSeq: doc.prevSeq,
    prevManifestSha256: doc.prevManifestSha256,
    period: doc.period,
    version: doc.version,
    reservedAt: doc.sealedAt,
    ...(doc.legacy ? { legacy: true } : {}),
    seal: {
      seq: doc.seq,
      manifestSha256: doc.manifestSha256,
      inputsHash: doc.inputsHash,
      sealedAt: doc.sealedAt,
      signature: doc.signature,
    },
  };
}

/** The seal document's bytes as archived: stable key order, so a retry writes the same bytes. */
export function sealBytes(doc: SealDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The newest sealed link: what a new link names as its predecessor. */
export function lastSealed(links: readonly ChainLink[]): SealedLink | undefined {
  for (let i = links.length - 1; i >= 0; i--) {
    const link = links[i];
    if (link && isSealed(link)) return link;
  }
  return undefined;
}

/** The chain fields a manifest carries (schema /2). */
export interface ManifestChain extends LinkPosition {
  /** The version of the same period this one corrects, with its manifest's sha256. */
  readonly corrects: { readonly version: number; readonly manifestSha256: string } | null;
}

export const manifestChainSchema = z.object({
  seq: positiveInt(),
  prevSeq: z.nullable(positiveInt()),
  prevManifestSha256: z.nullable(sha256Hex()),
  corrects: z.nullable(z.object({ version: positiveInt(), manifestSha256: sha256Hex() })),
});
