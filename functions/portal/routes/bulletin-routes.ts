import type { Principal } from '../../core/portal/principal.ts';
import { errors } from '../http/api-error.ts';
import { attachment } from '../http/content-disposition.ts';
import { principalOf, type RouteKit } from '../http/env.ts';
import { on } from '../http/guard.ts';
import type { BulletinVersionInfo } from '../ports.ts';
import { periodStatus } from '../services/period-status.ts';
import { parsePeriodParam, pickPeriod } from '../services/periods.ts';
import { frame } from './department-routes.ts';

/**
 * Bulletins for leaders (and auditors, admins): the latest one, its versions, files and the
 * live 报送进度 board. A department sees only its own department's PDF of each version.
 */

const BEHIND = new Set(['欠进度', '严重滞后']);

/** The files of a version a principal may download. */
function visibleFiles(principal: Principal, version: BulletinVersionInfo): BulletinVersionInfo['files'] {
  if (principal.role !== 'department') return version.files;
  return version.files.filter((f) => f.name === `depts/${principal.dept}.pdf`);
}

function fileUrl(v: { period: string; version: number }, name: string): string {
  return `/api/bulletins/${v.period}/v${v.version}/${name.split('/').map(encodeURIComponent).join('/')}`;
}

function parseVersion(raw: string | undefined): number {
  const m = /^v?([1-9]\d{0,5})$/.exec(raw ?? '');
  if (!m) throw errors.notFound('没有这个版本', 'no such version');
  return Number(m[1]);
}

export function registerBulletinRoutes(kit: RouteKit): void {
  const { deps, views } = kit;
  const { data } = deps;

  on(kit, 'bulletins', async (c) => {
    const principal = principalOf(c);
    const period = c.req.query('period') ? parsePeriodParam(c.req.query('period')) : undefined;
    const versions = await data.bulletins.list(period);
    c.header('cache-control', 'no-store');
    return c.json(
      versions.map((v) => ({
        period: v.period,
        version: v.version,
        issuedAt: v.issuedAt,
        title: v.title,
        files: visibleFiles(principal, v).map((f) => ({ ...f, url: fileUrl(v, f.name) })),
      })),
    );
  });

  on(kit, 'bulletinFile', async (c) => {
    const principal = principalOf(c);
    const period = parsePeriodParam(c.req.param('period'));
    const version = parseVersion(c.req.param('version'));
    const name = decodeURIComponent(c.req.path.split('/').slice(5).join('/'));
    if (principal.role === 'department' && name !== `depts/${principal.dept}.pdf`) {
      throw errors.forbidden('只能下载本单位的通报分册', 'only your own department’s bulletin part');
    }
    const found = await data.bulletins.file(period, version, name);
    if (!found) throw errors.notFound('没有这个文件', 'no such file');
    const base = name.split('/').pop() ?? name;
    return c.body(new Uint8Array(found.body), 200, {
      'content-type': found.info.contentType,
      'content-disposition': attachment(`通报-${period}-v${version}-${base}`),
      'cache-control': 'private, max-age=3600',
    });
  });

  /** What a leader reads of one version: counts, headline, behind items, 未报送, files. */
  async function bulletinView(shown: BulletinVersionInfo, earlier: readonly BulletinVersionInfo[]) {
    const [items, catalog] = await Promise.all([
      data.bulletins.items(shown.period, shown.version),
      data.catalogs.latest(Number(shown.period.slice(0, 4))),
    ]);
    const deptName = new Map((catalog?.catalog.departments ?? []).map((d) => [d.id, d.shortName]));
    return {
      latest: shown,
      behind: items.filter((i) => BEHIND.has(i.status)),
      notReported: notReportedByDept(items),
      deptFiles: shown.files
        .filter((f) => f.name.startsWith('depts/'))
        .map((f) => {
          const id = f.name.slice('depts/'.length).replace(/\.pdf$/, '');
          return { name: deptName.get(id) ?? id, url: fileUrl(shown, f.name) };
        }),
      fileUrl,
      earlier,
    };
  }

  on(kit, 'leaderPage', async (c) => {
    const versions = await data.bulletins.list();
    const latest = versions.at(-1);
    const earlier = [...versions].reverse().slice(1, 40);
    const view = latest ? await bulletinView(latest, earlier) : { latest: undefined, earlier };
    return c.html(views.page('leader', frame(kit, c, '进度通报'), view));
  });

  on(kit, 'bulletinPage', async (c) => {
    const period = parsePeriodParam(c.req.param('period'));
    const version = parseVersion(c.req.param('version'));
    const versions = await data.bulletins.list(period);
    const shown = versions.find((v) => v.version === version);
    if (!shown) throw errors.notFound('没有这一版通报', 'no such bulletin version');
    const earlier = versions.filter((v) => v.version !== version).reverse();
    return c.html(
      views.page(
        'leader',
        frame(kit, c, `${shown.title}（第${version}版）`),
        await bulletinView(shown, earlier),
      ),
    );
  });

  on(kit, 'boardPage', async (c) => {
    const now = deps.clock();
    const { period, choice } = await pickPeriod(data, now, c.req.query('period'));
    const status = await periodStatus(data, principalOf(c), period, now);
    const reported = status.departments.filter((d) => d.latest !== null).length;
    return c.html(
      views.page('board', frame(kit, c, '报送进度'), {
        period,
        choice,
        status,
        reported,
        missing: status.departments.length - reported,
        now,
      }),
    );
  });
}

function notReportedByDept(items: readonly { dept: string; status: string; name: string }[]) {
  const map = new Map<string, string[]>();
  for (const i of items) if (i.status === '未报送') map.set(i.dept, [...(map.get(i.dept) ?? []), i.name]);
  return [...map].map(([dept, names]) => ({ dept, names }));
}
