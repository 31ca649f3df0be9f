import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalAws } from '../../support/local-aws.ts';
import { openPortal, type PortalFixture, TEST_PASSWORD } from '../../support/portal.ts';

useLocalAws();
let portal: PortalFixture;

beforeAll(async () => {
  portal = await openPortal();
});

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('logging in and out', () => {
  it('sets an HttpOnly, SameSite=Strict cookie, not Secure over plain http', async () => {
    const res = await portal.request('/api/session', json({ username: 'leader', password: TEST_PASSWORD }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ username: 'leader', role: 'leader', dept: null, name: '区领导' });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^duban_session=[\w-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
  });

  it('uses a __Host- Secure cookie over https', async () => {
    const res = await portal.app.request('https://portal.example/api/session', {
      ...json({ username: 'leader', password: TEST_PASSWORD }),
      headers: { 'content-type': 'application/json', origin: 'https://portal.example' },
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^__Host-duban_session=/);
    expect(cookie).toContain('Secure');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const wrong = await portal.request(
      '/api/session',
      json({ username: 'admin', password: 'not-the-password' }),
    );
    const unknown = await portal.request(
      '/api/session',
      json({ username: 'nobody-here', password: 'not-the-password' }),
    );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('refuses a username after five failures, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await portal.request('/api/session', json({ username: 'auditor', password: `guess-${i}` }));
      expect(res.status).toBe(401);
    }
    const locked = await portal.request(
      '/api/session',
      json({ username: 'auditor', password: TEST_PASSWORD }),
    );
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as { error: { message_zh: string } }).error.message_zh).toContain(
      '登录失败次数过多',
    );
  });

  it('logging out ends the session', async () => {
    const cookie = await portal.login('admin');
    expect((await portal.request('/api/me', { cookie })).status).toBe(200);
    const out = await portal.request('/api/session', { method: 'DELETE', cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/duban_session=;.*Max-Age=0/);
    expect((await portal.request('/api/me', { cookie })).status).toBe(401);
  });

  it('disabling a user ends their sessions at once', async () => {
    await portal.deps.data.users.add(
      { username: 'temp-clerk', role: 'department', dept: 'wlj', name: '临时', password: TEST_PASSWORD },
      'admin',
    );
    const cookie = await portal.login('temp-clerk');
    expect((await portal.request('/api/me', { cookie })).status).toBe(200);
    await portal.deps.data.users.disable('temp-clerk', 'admin');
    expect((await portal.request('/api/me', { cookie })).status).toBe(401);
    const again = await portal.request(
      '/api/session',
      json({ username: 'temp-clerk', password: TEST_PASSWORD }),
    );
    expect(again.status).toBe(401);
  });

  it('the login form shows the error in Chinese and never redirects off-site', async () => {
    const bad = await portal.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=leader&password=nope&next=%2F%2Fevil.example',
    });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('用户名或密码不正确');
    const good = await portal.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=leader&password=${TEST_PASSWORD}&next=%2F%2Fevil.example`,
    });
    expect(good.status).toBe(303);
    expect(good.headers.get('location')).toBe('/leader');
  });
});

describe('headers and cross-site requests', () => {
  it('pages carry the CSP and the other security headers', async () => {
    const res = await portal.request('/login');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(await res.text()).not.toMatch(/<script>|<script [^>]*>[^<]|\son\w+=/);
  });

  it('refuses a state change from another origin, logged in or not', async () => {
    const cookie = await portal.login('admin');
    const evil = await portal.request('/api/users', {
      ...json({ username: 'x-evil', role: 'admin', password: 'whatever-long' }),
      cookie,
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: { code: string } }).error.code).toBe('cross-origin');
    const siteOnly = await portal.app.request('http://localhost/logout', {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(siteOnly.status).toBe(403);
    expect((await portal.request('/api/me', { cookie })).status).toBe(200);
  });

  it('a cross-site link to a page without the cookie reloads itself instead of showing the login', async () => {
    const res = await portal.app.request('http://localhost/leader', {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('http-equiv="refresh"');
  });

  it('answers health without a login, and assets with a long cache', async () => {
    expect((await portal.request('/healthz')).status).toBe(200);
    const css = await portal.request('/assets/portal.css');
    expect(css.headers.get('cache-control')).toContain('immutable');
    expect((await portal.request('/assets/../package.json')).status).toBe(404);
    const font = await portal.request('/assets/fonts.css');
    const file = /url\(\/assets\/(fonts\/[^)]+)\)/.exec(await font.text())?.[1];
    expect((await portal.request(`/assets/${file}`)).headers.get('content-type')).toBe('font/woff2');
  });
});
