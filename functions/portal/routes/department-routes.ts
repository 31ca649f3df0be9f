import { bodyLimit } from 'hono/body-limit';
import type { CatalogVersion } from '../../core/catalog/catalog-schema.ts';
import type { Receipt } from '../../core/ingest/receipt.ts';
import { type SubmissionIdentity, submissionIdentity } from '../../core/raw-uploads.ts';
import type { Submission } from '../../core/submission.ts';
import { errors } from '../http/api-error.ts';
import { attachment } from '../http/content-disposition.ts';
import { type PortalContext, principalOf, type RouteKit } from '../http/env.ts';
import { on } from '../http/guard.ts';
import { periodStatus } from '../services/period-status.ts';
import { parsePeriodParam, pickPeriod } from '../services/periods.ts';
import {
  awaitReceipt,
  ownDept,
  receiptApiPath,
  receiptPath,
  receiveUpload,
  UPLOAD_ID_PATTERN,
  uploadedFile,
  XLSX_TYPE,
} from '../services/uploads.ts';

/** Slack for the multipart envelope around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

function receiptParams(c: PortalContext): { period: string; dept: string; uploadId: string } {
  const period = parsePeriodParam(c.req.param('period'));
  const dept = c.req.param('dept') ?? '';
  const uploadId = c.req.param('uploadId') ?? '';
  ownDept(principalOf(c), dept);
  if (!UPLOAD_ID_PATTERN.test(uploadId)) throw errors.notFound('找不到该回执', 'no such receipt');
  return { period, dept, uploadId };
}

/** Indicator names by code, for receipts and change lists (names where people read). */
function indicatorNames(catalog: CatalogVersion | undefined): Map<string, string> {
  return new Map((catalog?.catalog.indicators ?? []).map((i) => [i.code, i.name]));
}

export function registerDepartmentRoutes(kit: RouteKit): void {
  const { deps, views } = kit;
  const { data } = deps;
  const limit = bodyLimit({
    maxSize: deps.settings.maxUploadBytes + MULTIPART_OVERHEAD,
    onError: () => {
      throw errors.tooLarge(deps.settings.maxUploadBytes);
    },
  });

  on(kit, 'template', async (c) => {
    const principal = principalOf(c);
    const period = parsePeriodParam(c.req.param('period'));
    const dept = ownDept(principal, c.req.query('dept'));
    if (!dept) throw errors.forbidden();
    const made = await data.templates.build(dept, period, principal.username);
    return c.body(new Uint8Array(made.bytes), 200, {
      'content-type': XLSX_TYPE,
      'content-disposition': attachment(made.fileName),
      'cache-control': 'no-store',
    });
  });

  const uploadFormFor = (c: PortalContext, period: string) =>
    deps.uploads.open(principalOf(c), period, {
      directAction: `/dept/upload?period=${period}`,
      returnTo: (uploadId) =>
        `${new URL(c.req.url).origin}${receiptPath(period, principalOf(c).dept ?? '', uploadId)}`,
    });

  on(kit, 'uploadForm', async (c) => {
    const period = parsePeriodParam(c.req.param('period'));
    const form = await uploadFormFor(c, period);
    c.header('cache-control', 'no-store');
    return c.json({
      ...form,
      apiAction: deps.uploads.mode === 'direct' ? `/api/periods/${period}/uploads` : form.action,
    });
  });

  on(kit, 'upload', limit, async (c) => {
    const principal = principalOf(c);
    const period = parsePeriodParam(c.req.param('period'));
    const body = await c.req.parseBody();
    const { uploadId, dept, sha256 } = await receiveUpload(deps, principal, period, uploadedFile(body.file));
    const receipt = await awaitReceipt(deps, dept, period, uploadId, sha256);
    const location = receiptApiPath(period, dept, uploadId);
    c.header('cache-control', 'no-store');
    if (!receipt) {
      c.header('location', location);
      return c.json(
        { status: 'pending', uploadId, receiptUrl: location, page: receiptPath(period, dept, uploadId) },
        202,
      );
    }
    c.header('x-receipt-page', receiptPath(period, dept, uploadId));
    return c.json(receipt, 200);
  });

  on(kit, 'uploads', async (c) => {
    const principal = principalOf(c);
    const period = parsePeriodParam(c.req.param('period'));
    const dept = ownDept(principal, c.req.query('dept'));
    if (!dept)
      throw errors.badRequest('dept-required', '请指定单位 ?dept=', 'name the department: ?dept=<id>');
    const list = await data.receipts.list(dept, period);
    return c.json({
      uploads: list.map(({ uploadId, receipt }) => ({
        uploadId,
        status: receipt.status,
        version: receipt.version,
        receivedAt: receipt.source.receivedAt,
        receiptUrl: receiptApiPath(period, dept, uploadId),
      })),
    });
  });

  on(kit, 'receipt', async (c) => {
    const { period, dept, uploadId } = receiptParams(c);
    const receipt = await data.receipts.find(dept, period, uploadId);
    c.header('cache-control', 'no-store');
    if (!receipt)
      return c.json({ status: 'pending', uploadId, receiptUrl: receiptApiPath(period, dept, uploadId) }, 202);
    return c.json(receipt);
  });

  on(kit, 'annotated', async (c) => {
    const { period, dept, uploadId } = receiptParams(c);
    const receipt = await data.receipts.find(dept, period, uploadId);
    if (!receipt?.objects.annotated)
      throw errors.notFound('这次上传没有批注版', 'this upload has no annotated copy');
    const bytes = await data.receipts.annotated(receipt);
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': XLSX_TYPE,
      'content-disposition': attachment(`批注版-${dept}-${period}.xlsx`),
      'cache-control': 'no-store',
    });
  });

  on(kit, 'status', async (c) => {
    const period = parsePeriodParam(c.req.param('period'));
    const status = await periodStatus(data, principalOf(c), period, deps.clock());
    c.header('cache-control', 'no-store');
    return c.json(
      status.departments.map((d) => ({
        dept: d.dept,
        name: d.name,
        reported: d.latest !== null,
        version: d.latest?.version ?? null,
        receivedAt: d.latest?.receivedAt ?? null,
        firstReceivedAt: d.firstReceivedAt,
        standing: d.standing,
        late: d.late,
        remindedAt: d.remindedAt,
        due: status.due?.day ?? null,
      })),
    );
  });

  on(kit, 'submissions', async (c) => {
    const principal = principalOf(c);
    const dept = ownDept(principal, c.req.query('dept'));
    const period = c.req.query('period') ? parsePeriodParam(c.req.query('period')) : undefined;
    return c.json({ submissions: await submissionHistory(kit, dept, period) });
  });

  // Pages.

  on(kit, 'deptPage', async (c) => {
    const principal = principalOf(c);
    const now = deps.clock();
    const { period, choice } = await pickPeriod(data, now, c.req.query('period'));
    const [status, catalog, receipts, form] = await Promise.all([
      periodStatus(data, principal, period, now),
      data.catalogs.latest(Number(period.slice(0, 4))),
      data.receipts.list(principal.dept ?? '', period, 10),
      uploadFormFor(c, period),
    ]);
    const mine = status.departments.find((d) => d.dept === principal.dept);
    const dept = catalog?.catalog.departments.find((d) => d.id === principal.dept);
    const indicators = catalog?.catalog.indicators.filter((i) => i.dept === principal.dept).length ?? 0;
    return c.html(
      views.page('dept-task', frame(kit, c, `${dept?.shortName ?? principal.dept} 本月填报`), {
        period,
        choice,
        status: mine,
        due: status.due,
        catalog: status.catalog,
        deptName: dept?.name ?? principal.dept,
        indicators,
        receipts: receipts
          .slice(0, 10)
          .map((r) => ({ ...r, url: receiptPath(period, principal.dept ?? '', r.uploadId) })),
        form,
        maxBytes: deps.settings.maxUploadBytes,
        apiAction: `/api/periods/${period}/uploads`,
      }),
    );
  });

  on(kit, 'deptUpload', limit, async (c) => {
    const principal = principalOf(c);
    const period = parsePeriodParam(c.req.query('period'));
    const body = await c.req.parseBody();
    const { uploadId, dept, sha256 } = await receiveUpload(deps, principal, period, uploadedFile(body.file));
    // Wait as the API does, so the receipt page usually opens complete; if not, it refreshes itself.
    await awaitReceipt(deps, dept, period, uploadId, sha256);
    return c.redirect(receiptPath(period, dept, uploadId), 303);
  });

  on(kit, 'receiptPage', async (c) => {
    const { period, dept, uploadId } = receiptParams(c);
    const [receipt, catalog] = await Promise.all([
      data.receipts.find(dept, period, uploadId),
      data.catalogs.latest(Number(period.slice(0, 4))),
    ]);
    const names = indicatorNames(catalog);
    const deptName = catalog?.catalog.departments.find((d) => d.id === dept)?.shortName ?? dept;
    return c.html(
      views.page(
        'receipt',
        { ...frame(kit, c, receipt ? '报送回执' : '正在检查…'), ...(receipt ? {} : { refreshSeconds: 2 }) },
        {
          period,
          dept,
          deptName,
          uploadId,
          receipt,
          names,
          problems: receipt ? problemRows(receipt, names) : [],
          annotatedUrl: receipt?.objects.annotated
            ? `${receiptApiPath(period, dept, uploadId)}/annotated.xlsx`
            : null,
        },
      ),
    );
  });

  on(kit, 'deptHistory', async (c) => {
    const principal = principalOf(c);
    const rows = await submissionHistory(kit, principal.dept ?? undefined, undefined);
    return c.html(views.page('dept-history', frame(kit, c, '报送记录'), { rows }));
  });
}

export function frame(kit: RouteKit, c: PortalContext, title: string) {
  return { title, principal: c.get('principal'), path: c.req.path, district: kit.deps.settings.district };
}

/** Each problem with the indicator's name beside its code, for the receipt page. */
function problemRows(receipt: Receipt, names: Map<string, string>) {
  return [...receipt.errors, ...receipt.warnings].map((p) => ({
    ...p,
    indicatorName: p.indicator ? (names.get(p.indicator) ?? p.indicator) : null,
  }));
}

/** A submission version as the history page shows it: the auditor's row, with named changes. */
export interface HistoryRow extends SubmissionIdentity {
  readonly changes: readonly { code: string; name: string; before: string; after: string }[];
  readonly previousVersion: number | null;
}

/** Every accepted version (更正 included) with what changed, newest first. */
async function submissionHistory(
  kit: RouteKit,
  dept: string | undefined,
  period: string | undefined,
): Promise<HistoryRow[]> {
  const { data } = kit.deps;
  const periods = period ? [period] : await data.submissions.periods();
  const subs: Submission[] = (
    await Promise.all(
      periods.map((p) => (dept ? data.submissions.versions(dept, p) : data.submissions.allForPeriod(p))),
    )
  ).flat();
  const years = [...new Set(subs.map((s) => s.catalogYear))];
  const catalogs = await Promise.all(years.map((y) => data.catalogs.latest(y)));
  const names = new Map(catalogs.flatMap((c) => [...indicatorNames(c)]));
  const show = (v: unknown) => (v === null || v === undefined ? '—' : String(v));
  return subs
    .sort((a, b) => b.period.localeCompare(a.period) || a.dept.localeCompare(b.dept) || b.version - a.version)
    .map((s) => ({
      ...submissionIdentity(s),
      previousVersion: s.correction?.previousVersion ?? null,
      changes: (s.correction?.changes ?? []).map((ch) => ({
        code: ch.code,
        name: names.get(ch.code) ?? ch.code,
        before: show(ch.before),
        after: show(ch.after),
      })),
    }));
}
