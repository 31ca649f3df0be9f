import type { Handler, MiddlewareHandler } from 'hono';
import { allows, ROUTES, type RouteName, type RouteSpec } from '../routes/route-table.ts';
import { errors } from './api-error.ts';
import type { PortalEnv, RouteKit } from './env.ts';

/**
 * A page reached by a cross-site navigation (a link in a mail, the bucket's redirect after a
 * presigned upload) arrives without the SameSite=Strict cookie. Instead of showing the login
 * page to someone who is logged in, answer a page that reloads itself: that navigation is
 * same-site, so the cookie comes along.
 */
function bounce(): Response {
  return new Response(
    '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0"><title>督办</title><p>正在打开…</p>',
    { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
  );
}

function loginRedirect(path: string): Response {
  const next = encodeURIComponent(path);
  return new Response(null, { status: 303, headers: { location: `/login?next=${next}` } });
}

/**
 * Registers one route of the table behind its access check; `before` (e.g. a body limit)
 * runs after the check, so an anonymous client cannot make the app read a large body.
 */
export function on(
  kit: RouteKit,
  name: RouteName,
  ...chain: [Handler<PortalEnv>] | [MiddlewareHandler<PortalEnv>, Handler<PortalEnv>]
): void {
  const spec: RouteSpec = ROUTES[name];
  const guard: MiddlewareHandler<PortalEnv> = async (c, next) => {
    if (spec.access === 'public') return next();
    const principal = c.get('principal');
    if (!principal) {
      if (spec.kind === 'api') throw errors.unauthenticated();
      if (
        c.req.method === 'GET' &&
        c.req.header('sec-fetch-site') === 'cross-site' &&
        c.get('sessionToken') === undefined
      )
        return bounce();
      const url = new URL(c.req.url);
      return loginRedirect(c.req.method === 'GET' ? `${url.pathname}${url.search}` : '/');
    }
    if (!allows(spec.access, principal.role)) throw errors.forbidden();
    return next();
  };
  kit.app.on(spec.method, spec.path, guard, ...(chain as [Handler<PortalEnv>]));
}
