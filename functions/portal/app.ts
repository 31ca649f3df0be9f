import { Hono } from 'hono';
import { DubanError, InputRejectedError, NotFoundError } from '../core/errors.ts';
import { PortalError } from './http/api-error.ts';
import type { PortalEnv, RouteKit } from './http/env.ts';
import { sameOriginOnly, securityHeaders } from './http/security.ts';
import { readSessionCookie } from './http/session-cookie.ts';
import type { PortalDeps } from './ports.ts';
import { registerAdminRoutes } from './routes/admin-routes.ts';
import { registerAuditRoutes } from './routes/audit-routes.ts';
import { registerBulletinRoutes } from './routes/bulletin-routes.ts';
import { registerDepartmentRoutes } from './routes/department-routes.ts';
import { registerSessionRoutes } from './routes/session-routes.ts';
import { createViews } from './views/render.ts';

/**
 * The portal: one Hono app for every page and API route. It runs on Node through
 * @hono/node-server (`duban serve`) and on Lambda through hono/aws-lambda; everything that
 * differs between the two arrives in `deps` (see ports.ts and docs/portal.md).
 */
export function createPortalApp(deps: PortalDeps): Hono<PortalEnv> {
  const app = new Hono<PortalEnv>();
  const views = createViews(deps.settings.templatesDir);
  const kit: RouteKit = { app, deps, views };

  app.use('*', securityHeaders(deps.uploads.formOrigins));
  app.use('*', sameOriginOnly(deps.settings.trustedOrigins));
  app.use('*', async (c, next) => {
    // Assets and the health check never need to know who asks: no session lookup for them.
    if (c.req.path.startsWith('/assets/') || c.req.path === '/healthz') return next();
    const token = readSessionCookie(c);
    c.set('sessionToken', token);
    c.set('principal', token ? await deps.sessions.resolve(token) : undefined);
    await next();
  });

  registerSessionRoutes(kit);
  registerDepartmentRoutes(kit);
  registerBulletinRoutes(kit);
  registerAuditRoutes(kit);
  registerAdminRoutes(kit);

  app.notFound((c) =>
    respondError(c.req.path, new PortalError(404, 'not-found', '找不到该页面', 'no such page'), kit, c),
  );
  app.onError((error, c) => respondError(c.req.path, asPortalError(error), kit, c));
  return app;
}

/** Domain errors become their HTTP answer; anything unexpected is a 500 without details. */
function asPortalError(error: unknown): PortalError {
  if (error instanceof PortalError) return error;
  if (error instanceof NotFoundError) return new PortalError(404, 'not-found', error.message, error.message);
  if (error instanceof InputRejectedError) {
    return new PortalError(422, 'rejected', error.problems.join('\n'), error.message);
  }
  if (error instanceof DubanError)
    return new PortalError(500, 'failed', `处理失败:${error.message}`, error.message);
  console.error('portal: unexpected error', error);
  return new PortalError(
    500,
    'internal',
    '系统内部错误,请稍后再试或联系统计局',
    'internal error; try again later',
  );
}

function respondError(
  path: string,
  error: PortalError,
  kit: RouteKit,
  c: Parameters<Parameters<Hono<PortalEnv>['onError']>[0]>[1],
) {
  if (path.startsWith('/api/') || path === '/healthz') return c.json(error.toJSON(), error.status);
  const html = kit.views.page(
    'error',
    { title: '出错了', principal: c.get('principal'), district: kit.deps.settings.district },
    { error },
  );
  return c.html(html, error.status);
}
