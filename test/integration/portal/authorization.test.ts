import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFile, seedCatalogPath } from '../../../functions/adapters/catalog-files.ts';
import type { Role } from '../../../functions/core/portal/principal.ts';
import { allows, ROUTES, type RouteSpec } from '../../../functions/portal/routes/route-table.ts';
import { useLocalAws } from '../../support/local-aws.ts';
import { openPortal, type PortalFixture, TEST_USERS } from '../../support/portal.ts';

/**
 * Every route × every role: allowed roles never get 401/403, the others always get 403, and
 * nobody logged in gets 401 (API) or the login page (pages). The table is the single source
 * of who may do what; this test also proves every registered route is in it.
 */

useLocalAws();
let portal: PortalFixture;
const cookies = new Map<string, string>();

beforeAll(async () => {
  portal = await openPortal({ settings: { receiptWaitMs: 200 } });
  for (const u of TEST_USERS) cookies.set(u.username, await portal.login(u.username));
});

const ROLE_USER: Record<Role, string> = {
  department: 'fgw',
  leader: 'leader',
  auditor: 'auditor',
  admin: 'admin',
};

/** A concrete path for a route pattern, as the role would ask for its own things. */
function concrete(spec: RouteSpec, role: Role): string {
  return spec.path
    .replace(':period', '2023-06')
    .replace(':dept', 'fgw')
    .replace(':uploadId', 'u1')
    .replace(':version', 'v1')
    .replace(':username', 'nobody')
    .replace(':sha256', '0'.repeat(64))
    .replace('/assets/*', '/assets/portal.css')
    .replace('*', role === 'department' ? 'depts/fgw.pdf' : 'bulletin.pdf');
}

function body(spec: RouteSpec): RequestInit {
  if (spec.method === 'GET') return {};
  if (spec.kind === 'api') return { headers: { 'content-type': 'application/json' }, body: '{}' };
  return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' };
}

const protectedRoutes = Object.entries(ROUTES).filter(([, spec]) => spec.access !== 'public');

describe('route/authorization matrix', () => {
  for (const role of ['department', 'leader', 'auditor', 'admin'] as const) {
    for (const [name, spec] of protectedRoutes) {
      const allowed = allows(spec.access, role);
      it(`${role} ${spec.method} ${spec.path} (${name}): ${allowed ? 'allowed' : '403'}`, async () => {
        // Act
        const res = await portal.request(concrete(spec, role), {
          method: spec.method,
          cookie: cookies.get(ROLE_USER[role]),
          ...body(spec),
        });
        // Assess
        if (allowed) expect([401, 403]).not.toContain(res.status);
        else expect(res.status).toBe(403);
      });
    }
  }

  for (const [name, spec] of protectedRoutes) {
    it(`anonymous ${spec.method} ${spec.path} (${name}): ${spec.kind === 'api' ? '401' : 'login page'}`, async () => {
      const res = await portal.request(concrete(spec, 'admin'), { method: spec.method, ...body(spec) });
      if (spec.kind === 'api') {
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({ error: expect.objectContaining({ code: 'unauthenticated' }) });
      } else {
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toMatch(/^\/login/);
      }
    });
  }

  it('registers no route that the table does not name', () => {
    const table = new Set(Object.values(ROUTES).map((r) => `${r.method} ${r.path}`));
    const registered = portal.app.routes
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => !r.startsWith('ALL '));
    expect(registered.filter((r) => !table.has(r))).toEqual([]);
  });
});

describe('a department reaches only its own department', () => {
  const asFgw = () => cookies.get('fgw');
  const cases = [
    ['template of another department', '/api/periods/2023-06/template?dept=gxj'],
    ['receipt of another department', '/api/periods/2023-06/uploads/gxj/u1'],
    ['annotated copy of another department', '/api/periods/2023-06/uploads/gxj/u1/annotated.xlsx'],
    ['uploads of another department', '/api/periods/2023-06/uploads?dept=gxj'],
    ['submissions of another department', '/api/submissions?dept=gxj'],
    ['bulletin part of another department', '/api/bulletins/2023-06/v1/depts/gxj.pdf'],
    ['the whole bulletin', '/api/bulletins/2023-06/v1/bulletin.pdf'],
    ['receipt page of another department', '/receipts/2023-06/gxj/u1'],
    ['a raw original', `/api/raw/${'a'.repeat(64)}`],
  ] as const;
  for (const [what, path] of cases) {
    it(`403 for ${what}`, async () => {
      const res = await portal.request(path, { cookie: asFgw() });
      expect(res.status).toBe(403);
    });
  }

  it('sees only its own line of the status', async () => {
    const res = await portal.request('/api/periods/2023-06/status', { cookie: asFgw() });
    const lines = (await res.json()) as { dept: string }[];
    expect(lines.map((l) => l.dept)).toEqual(['fgw']);
    const leader = await portal.request('/api/periods/2023-06/status', { cookie: cookies.get('leader') });
    const seed = await loadCatalogFile(seedCatalogPath(2023));
    const leading = new Set(seed.indicators.map((i) => i.dept));
    expect(((await leader.json()) as unknown[]).length).toBe(leading.size);
  });
});
