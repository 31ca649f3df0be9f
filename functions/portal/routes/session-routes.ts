import * as z from 'zod';
import type { Principal } from '../../core/portal/principal.ts';
import { errors, PortalError } from '../http/api-error.ts';
import type { PortalContext, RouteKit } from '../http/env.ts';
import { on } from '../http/guard.ts';
import { clearSessionCookie, isSecure, writeSessionCookie } from '../http/session-cookie.ts';
import { LoginThrottle } from '../login-throttle.ts';

/** Logging in and out, the landing page, health and assets. */

const credentialsSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(256),
});

/** Where each role lands after logging in. */
export function homeOf(principal: Principal): string {
  switch (principal.role) {
    case 'department':
      return '/dept';
    case 'leader':
      return '/leader';
    case 'auditor':
      return '/audit/archive';
    case 'admin':
      return '/admin/catalogs';
  }
}

/** Only same-site paths may follow a login (no open redirect). */
function safeNext(raw: string | undefined): string | undefined {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return undefined;
  return raw;
}

export function registerSessionRoutes(kit: RouteKit): void {
  const { deps, views } = kit;
  const throttle = new LoginThrottle();

  async function signIn(c: PortalContext, raw: unknown): Promise<Principal> {
    const parsed = credentialsSchema.safeParse(raw);
    if (!parsed.success)
      throw errors.badRequest('bad-request', '请填写用户名和密码', 'username and password are required');
    const { username, password } = parsed.data;
    const address = deps.clientAddress(c);
    const now = deps.clock().getTime();
    const wait = throttle.retryAfter(username, address, now);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      throw errors.tooManyAttempts(wait);
    }
    const result = await deps.sessions.signIn(username, password);
    if (!result.ok) {
      throttle.recordFailure(username, address, now);
      throw errors.badCredentials();
    }
    throttle.recordSuccess(username);
    writeSessionCookie(c, result.token, result.maxAgeSeconds, isSecure(c, deps.settings.secureCookies));
    return result.principal;
  }

  async function signOut(c: PortalContext): Promise<void> {
    const token = c.get('sessionToken');
    if (token) await deps.sessions.signOut(token);
    clearSessionCookie(c, isSecure(c, deps.settings.secureCookies));
  }

  on(kit, 'health', (c) => c.json({ ok: true, time: deps.clock().toISOString() }));

  on(kit, 'asset', (c) => {
    const asset = views.assets.get(c.req.path.slice('/assets/'.length));
    if (!asset) throw errors.notFound();
    return c.body(typeof asset.body === 'string' ? asset.body : new Uint8Array(asset.body), 200, {
      'content-type': asset.contentType,
      'cache-control': 'public, max-age=31536000, immutable',
    });
  });

  on(kit, 'signIn', async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    const principal = await signIn(c, body);
    c.header('cache-control', 'no-store');
    return c.json(principal);
  });

  on(kit, 'signOut', async (c) => {
    await signOut(c);
    return c.body(null, 204);
  });

  on(kit, 'me', (c) => {
    c.header('cache-control', 'no-store');
    return c.json(c.get('principal'));
  });

  on(kit, 'home', (c) => {
    const principal = c.get('principal');
    return c.redirect(principal ? homeOf(principal) : '/login', 303);
  });

  const loginPage = (c: PortalContext, status: 200 | 401 | 400 | 429, message?: string, username = '') =>
    c.html(
      views.page(
        'login',
        { title: '登录', district: deps.settings.district },
        { message, username, next: safeNext(c.req.query('next')) ?? '' },
      ),
      status,
    );

  on(kit, 'loginPage', (c) => {
    const principal = c.get('principal');
    if (principal) return c.redirect(safeNext(c.req.query('next')) ?? homeOf(principal), 303);
    return loginPage(c, 200);
  });

  on(kit, 'loginForm', async (c) => {
    const form = await c.req.parseBody();
    try {
      const principal = await signIn(c, { username: form.username, password: form.password });
      const next = typeof form.next === 'string' ? safeNext(form.next) : undefined;
      return c.redirect(next ?? homeOf(principal), 303);
    } catch (error) {
      if (!(error instanceof PortalError)) throw error;
      const status = error.status === 429 ? 429 : error.status === 400 ? 400 : 401;
      const message = error.message_zh;
      return loginPage(c, status, message, typeof form.username === 'string' ? form.username : '');
    }
  });

  on(kit, 'logoutForm', async (c) => {
    await signOut(c);
    return c.redirect('/login', 303);
  });
}
