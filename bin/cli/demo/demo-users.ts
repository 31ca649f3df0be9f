import { randomInt } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog } from '../../../functions/core/catalog/catalog-schema.ts';
import type { NewUser, UserAdmin } from '../../../functions/portal/ports.ts';

/**
 * Portal accounts for a replayed year: one per department (its id as the username), one
 * leader, one auditor and one admin, each with a fresh random password written to a file
 * only the owner can read, so a newcomer can log in right after `duban demo`.
 */
export const DEMO_USERS_FILE = 'portal-users.txt';

/** No 0/O, 1/l/I: passwords someone may have to type from the file. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function demoPassword(length = 14): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

export function demoAccounts(catalog: Catalog): Omit<NewUser, 'password'>[] {
  return [
    ...catalog.departments.map((d) => ({
      username: d.id,
      role: 'department' as const,
      dept: d.id,
      name: `${d.shortName}填报员`,
    })),
    { username: 'leader', role: 'leader', dept: null, name: '区政府领导' },
    { username: 'auditor', role: 'auditor', dept: null, name: '审计人员' },
    { username: 'admin', role: 'admin', dept: null, name: '统计局管理员' },
  ];
}

export async function createDemoUsers(
  users: UserAdmin,
  catalog: Catalog,
  dataDir: string,
): Promise<{ file: string; count: number }> {
  const accounts = demoAccounts(catalog).map((a) => ({ ...a, password: demoPassword() }));
  await Promise.all(accounts.map((a) => users.add(a, 'duban demo')));
  const file = path.join(path.resolve(dataDir), DEMO_USERS_FILE);
  const width = Math.max(...accounts.map((a) => a.username.length));
  const lines = [
    '# duban demo: portal accounts (username  password  role  name). Keep this file private.',
    ...accounts.map(
      (a) => `${a.username.padEnd(width)}  ${a.password}  ${a.role}${a.dept ? `:${a.dept}` : ''}  ${a.name}`,
    ),
  ];
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return { file, count: accounts.length };
}
