import type { CatalogVersion } from '../../core/catalog/catalog-schema.ts';
import { type Problem, problem } from '../../core/ingest/problems.ts';
import { type ReceiptNames, receiptNames } from '../../core/ingest/receipt.ts';
import type { Signatures } from '../../core/ingest/template-contract.ts';
import { uploadNameTooLong } from '../../core/ingest/upload-limits.ts';
import { validateUpload } from '../../core/ingest/validate-upload.ts';
import { parsePeriod, previousPeriod, type SubmissionValue } from '../../core/submission.ts';
import { cutToBytes, LIMITS } from '../../shared/limits.ts';
import type { ReadUpload, WorkbookReader } from '../ports/ingest.ts';
import type { CatalogStore, SubmissionStore } from '../ports/storage.ts';
import type { FetchedUpload } from './fetch-upload.ts';

/** What the receipt says the upload is, as far as it could be told. */
export interface UploadFacts {
  readonly dept: string;
  readonly period: string;
  readonly rows: number;
  readonly values: number;
  readonly catalog?: { readonly year: number; readonly version: number };
  readonly templateId?: string;
  /** 填报人, 联系电话 and 审核人 from the signature block. */
  readonly signatures?: Signatures;
  /** The catalog's names, so the receipt says 文旅局 and 推进文旅项目 rather than ids and codes. */
  readonly names?: ReceiptNames;
}

/** Step 2's answer: the upload read and validated against the catalog. */
export type CheckedUpload =
  | {
      readonly kind: 'rejected';
      readonly problems: readonly Problem[];
      readonly facts: UploadFacts;
      /** The workbook as read, when it could be: the annotated copy marks its cells. */
      readonly read: ReadUpload | null;
    }
  | {
      readonly kind: 'valid';
      /** Warnings only. */
      readonly problems: readonly Problem[];
      readonly facts: UploadFacts;
      readonly read: ReadUpload;
      readonly catalog: CatalogVersion;
      readonly values: readonly SubmissionValue[];
    };

function periodInvalid(period: string): Problem {
  return problem({
    code: 'period-invalid',
    zh: `上传位置中的月份「${period}」格式不对,应为 YYYY-MM`,
    en: `the period "${period}" in the upload key must be YYYY-MM`,
    value: period,
  });
}

function catalogMissing(year: number): Problem {
  return problem({
    code: 'catalog-missing',
    zh: `${year} 年目标目录尚未导入,暂时无法接收报送,请联系统计办`,
    en: `no target catalog is loaded for ${year}; contact the statistics office`,
    value: year,
  });
}

/** Step 2: read the workbook, find the year's catalog, validate every cell against it. */
export async function checkUpload(
  deps: {
    readonly reader: WorkbookReader;
    readonly catalogs: CatalogStore;
    readonly submissions: SubmissionStore;
  },
  fetched: FetchedUpload,
): Promise<CheckedUpload> {
  const { place } = fetched;
  const placed: UploadFacts = { dept: place.dept, period: place.period, rows: 0, values: 0 };
  // Refused before reading: the original is already kept in raw/, the receipt goes to a shortened key.
  const longKey = uploadNameTooLong(place);
  if (longKey) {
    const cut = {
      dept: cutToBytes(place.dept, LIMITS.maxKeySegmentBytes),
      period: cutToBytes(place.period, LIMITS.maxKeySegmentBytes),
    };
    return { kind: 'rejected', problems: [longKey], facts: { ...placed, ...cut }, read: null };
  }
  const read =
    fetched.content.kind === 'bytes'
      ? deps.reader.read(fetched.content.bytes)
      : { kind: 'rejected' as const, problem: fetched.content.problem };
  const year = parsePeriod(place.period)?.year;
  if (read.kind === 'rejected' || year === undefined) {
    const problems = [
      ...(read.kind === 'rejected' ? [read.problem] : []),
      ...(year === undefined ? [periodInvalid(place.period)] : []),
    ];
    return { kind: 'rejected', problems, facts: placed, read: read.kind === 'read' ? read.upload : null };
  }
  const catalog = await deps.catalogs.get(year);
  if (!catalog)
    return { kind: 'rejected', problems: [catalogMissing(year)], facts: placed, read: read.upload };

  const validation = validateUpload(read.upload.workbook, {
    catalog: catalog.catalog,
    catalogVersion: catalog.version,
    key: { dept: place.dept, period: place.period },
    flags: fetched.flags,
    previous: await deps.submissions.latest(place.dept, previousPeriod(place.period) ?? ''),
  });
  const facts: UploadFacts = {
    dept: validation.dept ?? place.dept,
    period: validation.period ?? place.period,
    rows: validation.rows,
    values: validation.values.length,
    catalog: { year: catalog.year, version: catalog.version },
    templateId: validation.templateId,
    ...(validation.signatures ? { signatures: validation.signatures } : {}),
    names: receiptNames(catalog.catalog),
  };
  if (validation.problems.some((p) => p.severity === 'error')) {
    // Filed where it was put, never where its _meta claims to belong: a department's rejected
    // upload stays in its own history, whichever department the workbook names.
    const filed = { ...facts, dept: place.dept, period: place.period };
    return { kind: 'rejected', problems: validation.problems, facts: filed, read: read.upload };
  }
  return {
    kind: 'valid',
    problems: validation.problems,
    facts,
    read: read.upload,
    catalog,
    values: validation.values,
  };
}
