import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCliServer } from '../../support/run-cli.ts';

/** `duban users` and `duban serve` as an operator runs them, in child processes. */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

// Seven child processes, each starting Node and tsx: minutes on a busy 2-core machine.
describe('duban users and duban serve', { timeout: 300_000 }, () => {
  it('adds, lists and disables users; the portal logs them in until disabled; Ctrl-C stops it', async () => {
    // Prepare
    const dataDir = await mkdtemp(path.join(tmpdir(), 'duban-cli-serve-'));
    dirs.push(dataDir);
    const data = ['--data', dataDir];

    // Act: accounts from the command line.
    const added = await runCli(
      [
        'users',
        'add',
        'fgw',
        '--role',
        'department',
        '--dept',
        'fgw',
        '--name',
        '发改委填报员',
        '--password-stdin',
        ...data,
      ],
      { input: 'a-long-enough-password\n' },
    );
    const noStdin = await runCli(['users', 'add', 'x1', '--role', 'leader', ...data]);
    const short = await runCli(['users', 'add', 'x2', '--role', 'leader', '--password-stdin', ...data], {
      input: 'short',
    });
    const duplicate = await runCli(['users', 'add', 'fgw', '--role', 'leader', '--password-stdin', ...data], {
      input: 'a-long-enough-password',
    });
    const listed = await runCli(['users', 'list', '--json', ...data]);

    // Act: the portal on the same store.
    const server = startCliServer<{ url: string; users: number }>(['serve', '--port', '0', ...data]);
    const { url, users } = await server.started;
    const health = await fetch(`${url}healthz`);
    const login = (password: string) =>
      fetch(`${url}api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'fgw', password }),
      });
    const loggedIn = await login('a-long-enough-password');
    const cookie = (loggedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const disabled = await runCli(['users', 'disable', 'fgw', ...data]);
    const afterDisable = await fetch(`${url}api/me`, { headers: { cookie } });
    const exit = await server.stop('SIGINT');

    // Assess
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('added fgw');
    expect(noStdin.code).toBe(2);
    expect(noStdin.stderr).toContain('--password-stdin');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('密码至少 10 个字符');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('已存在');
    expect(
      (JSON.parse(listed.stdout) as { users: { username: string; passwordHash?: string }[] }).users,
    ).toEqual([
      expect.objectContaining({ username: 'fgw', role: 'department', dept: 'fgw', disabled: false }),
    ]);
    expect(listed.stdout).not.toContain('scrypt');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(users).toBe(1);
    expect(health.status).toBe(200);
    expect(loggedIn.status).toBe(200);
    expect(disabled.code).toBe(0);
    expect(afterDisable.status).toBe(401);
    expect(exit).toBe(0);
    expect(server.stderr()).toContain('stopped, data kept');
  });
});
