import * as z from 'zod/mini';
import { LIMITS } from '../../shared/limits.ts';
import { nonNegativeInt, positiveInt } from '../stored-record.ts';
import type { ValueChange } from '../submission.ts';
import { PROBLEM_CODES, type Problem, splitProblems } from './problems.ts';
import { SIGNATURE_FIELDS, type SignatureField, type Signatures } from './template-contract.ts';

/**
 * The receipt every upload gets: one JSON document a department can read without a
 * developer (message_zh on every problem) and a machine can act on (status, codes).
 */

export type ReceiptStatus = 'accepted' | 'rejected' | 'unchanged';

/** A changed value of a correction, with the indicator's name for people to read. */
export interface ReceiptChange extends ValueChange {
  /** Absent in receipts written before names were added. */
  readonly name?: string;
}

/** Names from the catalog, so a receipt says 文旅局 and 推进文旅项目, not wlj and a code. */
export interface ReceiptNames {
  /** Department id → short name. */
  readonly depts: Readonly<Record<string, string>>;
  /** Indicator code → name. */
  readonly indicators: Readonly<Record<string, string>>;
}

/** The names of a catalog's departments and indicators. */
export function receiptNames(catalog: {
  readonly departments: readonly { readonly id: string; readonly shortName: string }[];
  readonly indicators: readonly { readonly code: string; readonly name: string }[];
}): ReceiptNames {
  return {
    depts: Object.fromEntries(catalog.departments.map((d) => [d.id, d.shortName])),
    indicators: Object.fromEntries(catalog.indicators.map((i) => [i.code, i.name])),
  };
}

export interface Receipt {
  readonly status: ReceiptStatus;
  readonly dept: string | null;
  /** The department's short name (文旅局), when the catalog knows it (absent in older receipts). */
  readonly deptName?: string | null;
  readonly period: string | null;
  /** The submission version this upload is (accepted) or matches (unchanged). */
  readonly version: number | null;
  /** Set for a correction (更正): what changed against the previous version. */
  readonly correction: {
    readonly previousVersion: number;
    readonly changes: readonly ReceiptChange[];
  } | null;
  readonly summary_zh: string;
  readonly summary_en: string;
  readonly errors: readonly Problem[];
  readonly warnings: readonly Problem[];
  readonly counts: {
    readonly rows: number;
    readonly values: number;
    readonly errors: number;
    readonly warnings: number;
    readonly changed: number;
  };
  readonly source: {
    readonly bucket: string;
    readonly key: string;
    readonly sha256: string;
    readonly size: number;
    readonly receivedAt: string;
    /** The authenticated uploader (core/ingest/upload-identity.ts): who the audit log names. */
    readonly uploader: string;
    /** The principal the upload event named (absent on receipts written before it was kept). */
    readonly principal?: string | null;
    /** The name the upload's metadata claimed, when nothing vouched for it and it differs. */
    readonly declaredUploader?: string | null;
  };
  readonly catalog: { readonly year: number; readonly version: number } | null;
  readonly templateId: string | null;
  /** Object keys of what ingest kept. */
  readonly objects: {
    readonly raw: string;
    readonly receipt: string;
    readonly annotated: string | null;
    readonly quarantine: string | null;
  };
  /**
   * Problems left out of this copy's lists (see listedReceipt); the receipt JSON in S3 lists
   * every one and has no such field.
   */
  readonly omitted?: { readonly errors: number; readonly warnings: number };
  /** 填报人, 联系电话 and 审核人 as written in the signature block, when filled in. */
  readonly signatures?: Signatures;
}

const problemSchema = z.object({
  code: z.enum(PROBLEM_CODES),
  severity: z.enum(['error', 'warning']),
  sheet: z.nullable(z.string()),
  cell: z.nullable(z.string()),
  indicator: z.nullable(z.string()),
  // Receipts written before names were added have none.
  indicatorName: z.optional(z.nullable(z.string())),
  message_zh: z.string(),
  message_en: z.string(),
  value: z.nullable(z.union([z.string(), z.number()])),
});
const indicatorValue = z.nullable(z.union([z.number(), z.string()]));

/** The receipt as written to receipts/ and read back by the CLI and the portal. */
export const receiptSchema = z.object({
  status: z.enum(['accepted', 'rejected', 'unchanged']),
  dept: z.nullable(z.string()),
  deptName: z.optional(z.nullable(z.string())),
  period: z.nullable(z.string()),
  version: z.nullable(positiveInt()),
  correction: z.nullable(
    z.object({
      previousVersion: positiveInt(),
      changes: z.array(
        z.object({
          code: z.string(),
          name: z.optional(z.string()),
          before: indicatorValue,
          after: indicatorValue,
        }),
      ),
    }),
  ),
  summary_zh: z.string(),
  summary_en: z.string(),
  errors: z.array(problemSchema),
  warnings: z.array(problemSchema),
  counts: z.object({
    rows: nonNegativeInt(),
    values: nonNegativeInt(),
    errors: nonNegativeInt(),
    warnings: nonNegativeInt(),
    changed: nonNegativeInt(),
  }),
  source: z.object({
    bucket: z.string(),
    key: z.string(),
    sha256: z.string(),
    size: nonNegativeInt(),
    receivedAt: z.string(),
    uploader: z.string(),
    principal: z.optional(z.nullable(z.string())),
    declaredUploader: z.optional(z.nullable(z.string())),
  }),
  catalog: z.nullable(z.object({ year: z.number(), version: positiveInt() })),
  templateId: z.nullable(z.string()),
  objects: z.object({
    raw: z.string(),
    receipt: z.string(),
    annotated: z.nullable(z.string()),
    quarantine: z.nullable(z.string()),
  }),
  omitted: z.optional(z.object({ errors: nonNegativeInt(), warnings: nonNegativeInt() })),
  signatures: z.optional(
    z.object({
      preparer: z.optional(z.string()),
      phone: z.optional(z.string()),
      reviewer: z.optional(z.string()),
    }),
  ),
});

export interface ReceiptInput {
  readonly status: ReceiptStatus;
  readonly dept?: string;
  readonly period?: string;
  readonly version?: number;
  readonly correction?: { readonly previousVersion: number; readonly changes: readonly ValueChange[] };
  readonly problems: readonly Problem[];
  readonly rows: number;
  readonly values: number;
  readonly source: Receipt['source'];
  readonly catalog?: { readonly year: number; readonly version: number };
  readonly templateId?: string;
  readonly signatures?: Signatures;
  readonly objects: Receipt['objects'];
  /** The catalog's names; without them the receipt falls back to ids and codes. */
  readonly names?: ReceiptNames;
}

/** "2023年2月" for a period, the text itself otherwise. */
function monthLabel(period: string | undefined): string {
  const m = period ? /^(\d{4})-(\d{2})$/.exec(period) : null;
  return m ? `${m[1]}年${Number(m[2])}月` : (period ?? '?');
}

function summary(input: ReceiptInput, errors: number, warnings: number): { zh: string; en: string } {
  const name = input.dept ? (input.names?.depts[input.dept] ?? input.dept) : '?';
  const who = `${name} ${monthLabel(input.period)}`;
  const warnZh = warnings > 0 ? `,另有 ${warnings} 条提醒请留意` : '';
  const warnEn = warnings > 0 ? `; ${warnings} warning(s) to note` : '';
  switch (input.status) {
    case 'accepted':
      return input.correction
        ? {
            zh: `${who} 更正已接收:第 ${input.version} 版,${input.correction.changes.length} 项数值有变化${warnZh}`,
            en: `${who} correction accepted as version ${input.version}; ${input.correction.changes.length} value(s) changed${warnEn}`,
          }
        : {
            zh: `${who} 报送已接收:第 ${input.version} 版,共 ${input.values} 项指标${warnZh}`,
            en: `${who} accepted as version ${input.version} with ${input.values} value(s)${warnEn}`,
          };
    case 'unchanged':
      return {
        zh: `${who} 上传的内容与第 ${input.version} 版完全相同,未生成新版本`,
        en: `${who} upload is identical to version ${input.version}; no new version`,
      };
    case 'rejected':
      return {
        zh: `${who} 报送未通过:发现 ${errors} 处错误,请按下列说明修改后重新上传,本次未保存任何数值`,
        en: `${who} rejected: ${errors} error(s); fix them and upload again. No values were stored`,
      };
  }
}

export function buildReceipt(input: ReceiptInput): Receipt {
  const { errors, warnings } = splitProblems(input.problems);
  const text = summary(input, errors.length, warnings.length);
  return {
    status: input.status,
    dept: input.dept ?? null,
    deptName: input.dept ? (input.names?.depts[input.dept] ?? null) : null,
    period: input.period ?? null,
    version: input.version ?? null,
    correction: input.correction
      ? {
          previousVersion: input.correction.previousVersion,
          changes: input.correction.changes.map((c) => ({
            ...c,
            name: input.names?.indicators[c.code] ?? c.code,
          })),
        }
      : null,
    summary_zh: text.zh,
    summary_en: text.en,
    errors,
    warnings,
    counts: {
      rows: input.rows,
      values: input.values,
      errors: errors.length,
      warnings: warnings.length,
      changed: input.correction?.changes.length ?? 0,
    },
    source: input.source,
    catalog: input.catalog ?? null,
    templateId: input.templateId ?? null,
    objects: input.objects,
    ...(input.signatures ? { signatures: input.signatures } : {}),
  };
}

/**
 * The receipt as a department is shown it (CLI, portal, the handler's answer): the first
 * LIMITS.receiptProblemsListed errors and warnings, and how many more there are. A file with
 * 10,000 bad rows needs the first screenful, not a 5 MB answer; the S3 receipt keeps them all.
 */
export function listedReceipt(receipt: Receipt): Receipt {
  const cap = LIMITS.receiptProblemsListed;
  if (receipt.errors.length <= cap && receipt.warnings.length <= cap) return receipt;
  return {
    ...receipt,
    errors: receipt.errors.slice(0, cap),
    warnings: receipt.warnings.slice(0, cap),
    omitted: {
      errors: Math.max(0, receipt.errors.length - cap),
      warnings: Math.max(0, receipt.warnings.length - cap),
    },
  };
}

/** Exit code of `duban ingest` for a receipt: 0 accepted or unchanged, 1 rejected. */
export function receiptExitCode(receipt: Pick<Receipt, 'status'>): 0 | 1 {
  return receipt.status === 'rejected' ? 1 : 0;
}

/** Lines for a terminal: the summary, then each problem in Chinese and English. */
export function formatReceipt(full: Receipt): string {
  const receipt = listedReceipt(full);
  const lines = [receipt.summary_zh, receipt.summary_en];
  const signed = (Object.keys(SIGNATURE_FIELDS) as SignatureField[]).flatMap((field) => {
    const entry = receipt.signatures?.[field];
    return entry ? [`${SIGNATURE_FIELDS[field]}:${entry}`] : [];
  });
  if (signed.length > 0) lines.push(signed.join('  '));
  const list = (title: string, problems: readonly Problem[], omitted: number) => {
    if (problems.length === 0) return;
    lines.push('', title);
    for (const p of problems) lines.push(`  [${p.code}] ${p.message_zh}`, `      ${p.message_en}`);
    if (omitted > 0) {
      lines.push(
        `  …另有 ${omitted} 条未列出,完整清单见回执 JSON 与批注版`,
        `      … ${omitted} more not listed here; the receipt JSON and the annotated workbook list them all`,
      );
    }
  };
  list('错误 Errors:', receipt.errors, receipt.omitted?.errors ?? 0);
  list('提醒 Warnings:', receipt.warnings, receipt.omitted?.warnings ?? 0);
  if (receipt.correction && receipt.correction.changes.length > 0) {
    lines.push('', '更正 Changes:');
    for (const c of receipt.correction.changes)
      lines.push(`  ${c.name ?? c.code}: ${c.before ?? '—'} → ${c.after ?? '—'}`);
  }
  lines.push('', `回执 Receipt: ${receipt.objects.receipt}`);
  if (receipt.objects.annotated) lines.push(`批注版 Annotated workbook: ${receipt.objects.annotated}`);
  return lines.join('\n');
}
