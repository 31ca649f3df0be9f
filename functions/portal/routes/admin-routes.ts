import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod';
import { isRole, UserRejectedError } from '../../core/portal/principal.ts';
import { errors, PortalError } from '../http/api-error.ts';
import { type PortalContext, principalOf, type RouteKit } from '../http/env.ts';
import { on } from '../http/guard.ts';
import type { NewUser } from '../ports.ts';
import { frame } from './department-routes.ts';

/** The statistics office's pages: catalog versions (view, check, load) and users. */

const MAX_CATALOG_BYTES = 2 * 1024 * 1024;

const newUserSchema = z.object({
  username: z.string().trim().toLowerCase(),
  role: z.string().refine(isRole, { message: 'role' }),
  dept: z.string().trim().optional(),
  name: z.string().trim().optional(),
  password: z.string(),
});

function toNewUser(raw: unknown): NewUser {
  const parsed = newUserSchema.safeParse(raw);
  if (!parsed.success)
    throw errors.badRequest(
      'bad-user',
      '请完整填写用户名、角色和密码',
      'username, role and password are required',
    );
  const u = parsed.data;
  if (!isRole(u.role)) throw errors.badRequest('bad-role', '角色无效', 'unknown role');
  return {
    username: u.username,
    role: u.role,
    dept: u.dept || null,
    name: u.name || u.username,
    password: u.password,
  };
}

async function catalogText(c: PortalContext): Promise<{ yaml: string; fileName: string }> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    const form = await c.req.parseBody();
    const file = form.file;
    if (file instanceof File && file.size > 0) return { yaml: await file.text(), fileName: file.name };
    if (typeof form.yaml === 'string' && form.yaml.trim() !== '')
      return { yaml: form.yaml, fileName: 'catalog.yaml' };
    throw errors.badRequest('no-file', '请选择目标目录 YAML 文件', 'choose the catalog YAML file');
  }
  return { yaml: await c.req.text(), fileName: c.req.header('x-file-name') || 'catalog.yaml' };
}

export function registerAdminRoutes(kit: RouteKit): void {
  const { deps, views } = kit;
  const { data } = deps;
  const limit = bodyLimit({
    maxSize: MAX_CATALOG_BYTES,
    onError: () => {
      throw new PortalError(413, 'file-too-large', '目录文件超过 2 MB', 'the catalog file is over 2 MB');
    },
  });

  async function catalogOverview() {
    const years = await data.catalogs.years();
    return Promise.all(
      [...years]
        .reverse()
        .map(async (year) => ({ year, versions: [...(await data.catalogs.versions(year))].reverse() })),
    );
  }

  /** Checks, then loads; problems are the answer when the check fails (nothing is stored). */
  async function loadCatalog(c: PortalContext) {
    const { yaml, fileName } = await catalogText(c);
    const checked = await data.catalogs.check(yaml, fileName);
    if (!checked.ok) return { ok: false as const, fileName, problems: checked.problems };
    const loaded = await data.catalogs.load(yaml, fileName, principalOf(c).username);
    return { ok: true as const, fileName, summary: checked.summary, ...loaded };
  }

  on(kit, 'catalogs', async (c) => {
    const overview = await catalogOverview();
    return c.json(
      overview.map((y) => ({
        year: y.year,
        versions: y.versions.map((v) => ({
          version: v.version,
          loadedAt: v.loadedAt,
          contentHash: v.contentHash,
          indicators: v.catalog.indicators.length,
          departments: v.catalog.departments.length,
        })),
      })),
    );
  });

  on(kit, 'catalogLoad', limit, async (c) => {
    const result = await loadCatalog(c);
    if (!result.ok) {
      return c.json(
        {
          error: {
            code: 'catalog-invalid',
            message_zh: `目标目录未通过检查,共 ${result.problems.length} 处问题`,
            message_en: `the catalog failed its check with ${result.problems.length} problem(s)`,
          },
          problems: result.problems,
        },
        422,
      );
    }
    return c.json({
      year: result.version.year,
      version: result.version.version,
      unchanged: result.unchanged,
    });
  });

  const catalogsPage = async (c: PortalContext, outcome: unknown, status: 200 | 422 = 200) =>
    c.html(
      views.page('admin-catalogs', frame(kit, c, '目标目录'), { overview: await catalogOverview(), outcome }),
      status,
    );

  on(kit, 'catalogsPage', (c) => catalogsPage(c, null));

  on(kit, 'catalogForm', limit, async (c) => {
    const result = await loadCatalog(c);
    return catalogsPage(c, result, result.ok ? 200 : 422);
  });

  on(kit, 'users', async (c) => c.json({ users: await data.users.list() }));

  on(kit, 'userAdd', async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    const user = await data.users.add(toNewUser(body), principalOf(c).username);
    return c.json(user, 201);
  });

  on(kit, 'userDisable', async (c) => {
    const username = c.req.param('username') ?? '';
    return c.json(await data.users.disable(username, principalOf(c).username));
  });

  const usersPage = async (
    c: PortalContext,
    message: { ok: boolean; text: string } | null,
    status: 200 | 422 = 200,
  ) =>
    c.html(
      views.page('admin-users', frame(kit, c, '用户管理'), { users: await data.users.list(), message }),
      status,
    );

  on(kit, 'usersPage', (c) => usersPage(c, null));

  on(kit, 'userForm', async (c) => {
    const form = await c.req.parseBody();
    try {
      const user = await data.users.add(toNewUser(form), principalOf(c).username);
      return usersPage(c, { ok: true, text: `已新增用户 ${user.username}(${user.name})` });
    } catch (error) {
      if (error instanceof UserRejectedError)
        return usersPage(c, { ok: false, text: error.problems.join(';') }, 422);
      if (error instanceof PortalError) return usersPage(c, { ok: false, text: error.message_zh }, 422);
      throw error;
    }
  });

  on(kit, 'userDisableForm', async (c) => {
    const username = c.req.param('username') ?? '';
    if (username === principalOf(c).username)
      return usersPage(c, { ok: false, text: '不能停用自己的账号' }, 422);
    const user = await data.users.disable(username, principalOf(c).username);
    return usersPage(c, { ok: true, text: `已停用用户 ${user.username}` });
  });
}
