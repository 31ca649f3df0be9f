import type { Hono } from 'hono';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { ensureCatalog } from '../../functions/adapters/ensure-catalog.ts';
import type { Role } from '../../functions/core/portal/principal.ts';
import { createPortalApp } from '../../functions/portal/app.ts';
import { createLocalPortalDeps } from '../../functions/portal/compose.ts';
import type { PortalEnv } from '../../functions/portal/http/env.ts';
import type { PortalDeps, PortalSettings, UploadGateway } from '../../functions/portal/ports.ts';

/** One account per role (two departments), all with this password. */
export const TEST_PASSWORD = 'portal-test-password';
export const TEST_USERS = [
  { username: 'fgw', role: 'department', dept: 'fgw', name: '发改委填报员' },
  { username: 'gxj', role: 'department', dept: 'gxj', name: '工信局填报员' },
  { username: 'leader', role: 'leader', dept: null, name: '区领导' },
  { username: 'auditor', role: 'auditor', dept: null, name: '审计员' },
  { username: 'admin', role: 'admin', dept: null, name: '统计局' },
] as const satisfies readonly { username: string; role: Role; dept: string | null; name: string }[];

export const ORIGIN = 'http://localhost';

/** Figures that fill 发改委's 2023 template so that ingest accepts it. */
export const FGW_VALUES = [
  { code: 'ECO-GDP', value: 80.1 },
  { code: 'ECO-FAI-GROWTH', value: 6.1 },
  { code: 'DYN-KEY-PROJECT-INVESTMENT', value: 40.2 },
  { code: 'ECO-DOUBLE-HIGH-ZONE', value: '方案编制' },
  { code: 'DYN-BUSINESS-ENVIRONMENT', value: '迎接评价' },
];

export interface PortalFixture {
  readonly app: Hono<PortalEnv>;
  readonly deps: PortalDeps;
  /** Logs in and returns the Cookie header value. */
  login(username: string, password?: string): Promise<string>;
  request(path: string, init?: RequestInit & { cookie?: string }): Promise<Response>;
}

/**
 * The portal on the running stand-ins (useLocalAws first): the seed catalog for 2023, the
 * test accounts, and requests sent straight to the app (no socket) from the same origin.
 */
export async function openPortal(
  options: {
    settings?: Partial<PortalSettings>;
    clock?: () => Date;
    users?: boolean;
    /** Another upload gateway than the local direct one (the presigned POST, on s3rver). */
    uploads?: UploadGateway;
  } = {},
): Promise<PortalFixture> {
  const clock = options.clock ?? (() => new Date());
  await ensureCatalog(createStores(), 2023, clock(), 'test');
  const local = createLocalPortalDeps({ clock, settings: { receiptWaitMs: 20_000, ...options.settings } });
  const deps: PortalDeps = {
    ...local,
    clientAddress: () => '127.0.0.1',
    ...(options.uploads ? { uploads: options.uploads } : {}),
  };
  if (options.users !== false) {
    const existing = new Set((await deps.data.users.list()).map((u) => u.username));
    for (const u of TEST_USERS) {
      if (!existing.has(u.username)) await deps.data.users.add({ ...u, password: TEST_PASSWORD }, 'test');
    }
  }
  const app = createPortalApp(deps);
  const request = (path: string, init: RequestInit & { cookie?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set('cookie', init.cookie);
    const method = (init.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD' && !headers.has('origin')) headers.set('origin', ORIGIN);
    return Promise.resolve(app.request(`${ORIGIN}${path}`, { ...init, headers }));
  };
  return {
    app,
    deps,
    request,
    async login(username, password = TEST_PASSWORD) {
      const res = await request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      const cookie = res.headers.get('set-cookie') ?? '';
      return cookie.split(';')[0] ?? '';
    },
  };
}
