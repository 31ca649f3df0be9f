import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogPath } from '../../../functions/adapters/catalog-files.ts';
import { useLocalAws } from '../../support/local-aws.ts';
import { openPortal, type PortalFixture } from '../../support/portal.ts';

/** The statistics office's pages and API: catalogs checked before they are stored, users, the actor recorded. */

useLocalAws();
let portal: PortalFixture;
let admin: string;

beforeAll(async () => {
  portal = await openPortal();
  admin = await portal.login('admin');
});

const yaml = (text: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/yaml', 'x-file-name': 'next.yaml' },
  body: text,
});

describe('catalogs', () => {
  it('lists the stored versions', async () => {
    const res = await portal.request('/api/catalogs', { cookie: admin });
    const years = (await res.json()) as {
      year: number;
      versions: { version: number; indicators: number }[];
    }[];
    expect(years).toEqual([
      { year: 2023, versions: [expect.objectContaining({ version: 1, indicators: expect.any(Number) })] },
    ]);
  });

  it('answers the check’s problems and stores nothing for a bad catalog', async () => {
    const seed = await readFile(seedCatalogPath(2023), 'utf8');
    const broken = seed
      .replace('submissionDueDay: 4', 'submissionDueDay: 45')
      .replace(/target: 175\n/, 'target: lots\n');
    const res = await portal.request('/api/catalogs', { ...yaml(broken), cookie: admin });
    const body = (await res.json()) as { error: { code: string }; problems: string[] };
    expect(res.status).toBe(422);
    expect(body.error.code).toBe('catalog-invalid');
    expect(body.problems.length).toBeGreaterThanOrEqual(2);
    expect(body.problems.join('\n')).toMatch(/submissionDueDay/);
    const versions = await portal.deps.data.catalogs.versions(2023);
    expect(versions).toHaveLength(1);
  });

  it('loads a changed catalog as a new version, with the admin as the actor; the page shows it', async () => {
    const seed = await readFile(seedCatalogPath(2023), 'utf8');
    const res = await portal.request('/api/catalogs', {
      ...yaml(seed.replace('submissionDue: { day: 4,', 'submissionDue: { day: 5,')),
      cookie: admin,
    });
    expect(await res.json()).toEqual({ year: 2023, version: 2, unchanged: false });
    const events = await portal.deps.data.audit.list({ period: '2023' });
    expect(events.filter((e) => e.action === 'catalog.loaded').at(-1)).toMatchObject({
      actor: 'admin',
      detail: { version: 2 },
    });
    const page = await (await portal.request('/admin/catalogs', { cookie: admin })).text();
    expect(page).toContain('第2版');
    const board = await (await portal.request('/api/periods/2023-06/status', { cookie: admin })).json();
    expect((board as { due: string }[])[0]?.due).toBe('2023-07-05');
  });

  it('the load form shows the problems in a page', async () => {
    const form = new FormData();
    form.set('file', new Blob(['year: 2023\n']), 'bad.yaml');
    const res = await portal.request('/admin/catalogs', { method: 'POST', body: form, cookie: admin });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('bad.yaml 未通过检查');
  });
});

describe('users', () => {
  it('adds a user from the form, lists it, disables it; both changes name the admin', async () => {
    const added = await portal.request('/admin/users', {
      method: 'POST',
      cookie: admin,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        username: 'wlj2',
        role: 'department',
        dept: 'wlj',
        name: '文旅局二',
        password: 'a-long-password-2',
      }).toString(),
    });
    expect(added.status).toBe(200);
    expect(await added.text()).toContain('已新增用户 wlj2');
    const disabled = await portal.request('/api/users/wlj2/disable', { method: 'POST', cookie: admin });
    expect(await disabled.json()).toMatchObject({ username: 'wlj2', disabled: true });
    const list = (await (await portal.request('/api/users', { cookie: admin })).json()) as {
      users: { username: string; passwordHash?: string }[];
    };
    expect(list.users.find((u) => u.username === 'wlj2')).toMatchObject({ disabled: true });
    expect(JSON.stringify(list)).not.toContain('scrypt');
    const events = (await portal.deps.data.audit.list({})).filter((e) => e.action.startsWith('user.'));
    expect(events.filter((e) => e.detail.username === 'wlj2').map((e) => [e.action, e.actor])).toEqual([
      ['user.added', 'admin'],
      ['user.disabled', 'admin'],
    ]);
  });

  it('refuses a bad user with every problem named, and an admin disabling itself', async () => {
    const bad = await portal.request('/api/users', {
      method: 'POST',
      cookie: admin,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'Bad Name', role: 'department', password: 'short' }),
    });
    expect(bad.status).toBe(422);
    const self = await portal.request('/api/users/admin/disable', { method: 'POST', cookie: admin });
    expect(self.status).toBe(422);
    expect((await portal.request('/api/me', { cookie: admin })).status).toBe(200);
  });
});

describe('a department the catalog does not know', () => {
  it('gets 422 for its template, and 404 for a year without a catalog', async () => {
    await portal.deps.data.users.add(
      { username: 'newdept', role: 'department', dept: 'xinju', name: '新局', password: 'a-long-password-3' },
      'admin',
    );
    const cookie = await portal.login('newdept', 'a-long-password-3');
    expect((await portal.request('/api/periods/2023-06/template', { cookie })).status).toBe(422);
    expect((await portal.request('/api/periods/2031-06/template', { cookie })).status).toBe(404);
  });
});
