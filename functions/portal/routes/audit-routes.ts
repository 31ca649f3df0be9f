import { AUDIT_ACTION_ZH, auditActionZh } from '../../core/audit-labels.ts';
import { errors } from '../http/api-error.ts';
import { attachment } from '../http/content-disposition.ts';
import { type PortalContext, principalOf, type RouteKit } from '../http/env.ts';
import { on } from '../http/guard.ts';
import { auditCsv, detailText } from '../services/audit-csv.ts';
import { parsePeriodParam } from '../services/periods.ts';
import { frame } from './department-routes.ts';

/** The auditor's archive browser, verification, raw submissions and the audit log. */

const SHA256 = /^[0-9a-f]{64}$/;

function auditFilter(c: PortalContext): { period?: string; dept?: string; action?: string } {
  const period = c.req.query('period') || undefined;
  if (period && !/^\d{4}(-\d{2})?$/.test(period)) throw errors.badPeriod(period);
  const dept = c.req.query('dept') || undefined;
  if (dept && !/^[a-z][a-z0-9-]{1,31}$/.test(dept))
    throw errors.badRequest(
      'bad-dept',
      `单位编码「${dept}」格式不对`,
      `department id "${dept}" is malformed`,
    );
  const action = c.req.query('action') || undefined;
  return { period, dept, action };
}

export function registerAuditRoutes(kit: RouteKit): void {
  const { deps, views } = kit;
  const { data } = deps;

  const verifyPeriod = (raw: unknown) =>
    typeof raw === 'string' && raw !== '' ? parsePeriodParam(raw) : undefined;

  on(kit, 'verify', async (c) => {
    const body: unknown = await c.req.json().catch(() => ({}));
    const period = verifyPeriod((body as { period?: unknown } | null)?.period);
    const result = await data.verifier.verify(period);
    return c.json({
      ok: result.ok,
      summary: result.summary,
      findings: result.findings,
      report: result.report,
    });
  });

  on(kit, 'verifyForm', async (c) => {
    const form = await c.req.parseBody();
    const period = verifyPeriod(form.period);
    const result = await data.verifier.verify(period);
    const versions = await data.bulletins.list();
    return c.html(
      views.page('archive', frame(kit, c, '通报档案'), { versions: [...versions].reverse(), result, period }),
    );
  });

  on(kit, 'archivePage', async (c) => {
    const versions = await data.bulletins.list();
    return c.html(
      views.page('archive', frame(kit, c, '通报档案'), {
        versions: [...versions].reverse(),
        result: null,
        period: '',
      }),
    );
  });

  on(kit, 'raw', async (c) => {
    const sha = c.req.param('sha256') ?? '';
    if (!SHA256.test(sha)) throw errors.notFound('没有这个原始文件', 'no such original');
    const raw = await data.raw.get(sha);
    return c.body(new Uint8Array(raw.body), 200, {
      'content-type': 'application/octet-stream',
      'content-disposition': attachment(raw.fileName),
      'cache-control': 'private, max-age=3600',
    });
  });

  on(kit, 'rawPage', async (c) => {
    const { period, dept } = auditFilter(c);
    if (period && period.length !== 7) throw errors.badPeriod(period);
    const periods = period ? [period] : await data.submissions.periods();
    const subs = (
      await Promise.all(
        periods.map((p) => (dept ? data.submissions.versions(dept, p) : data.submissions.allForPeriod(p))),
      )
    )
      .flat()
      .sort(
        (a, b) => b.period.localeCompare(a.period) || a.dept.localeCompare(b.dept) || a.version - b.version,
      );
    return c.html(
      views.page('raw', frame(kit, c, '原始报送'), { subs, period: period ?? '', dept: dept ?? '' }),
    );
  });

  on(kit, 'audit', async (c) => {
    const { period, dept, action } = auditFilter(c);
    const events = (await data.audit.list({ period, dept })).filter((e) => !action || e.action === action);
    if (c.req.query('format') === 'csv') {
      const name = ['审计日志', period, dept].filter(Boolean).join('-');
      return c.body(auditCsv(events), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': attachment(`${name}.csv`),
        'cache-control': 'no-store',
      });
    }
    return c.json({ events });
  });

  on(kit, 'auditPage', async (c) => {
    const filter = auditFilter(c);
    const events = (await data.audit.list({ period: filter.period, dept: filter.dept }))
      .filter((e) => !filter.action || e.action === filter.action)
      .reverse();
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
    q.set('format', 'csv');
    return c.html(
      views.page('audit-log', frame(kit, c, '审计日志'), {
        events: events
          .slice(0, 1000)
          .map((e) => ({ ...e, label: auditActionZh(e.action), detailText: detailText(e) })),
        total: events.length,
        filter,
        actions: Object.entries(AUDIT_ACTION_ZH),
        csvUrl: `/api/audit?${q.toString()}`,
        principal: principalOf(c),
      }),
    );
  });
}
