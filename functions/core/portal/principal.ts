import { InputRejectedError } from '../errors.ts';

/**
 * Who is asking: the one identity every portal route decides on. Both ways of logging in
 * produce it — a password checked against the users in the table (local) and a Cognito
 * token whose groups say the role (AWS) — so routes never know which one ran.
 */

export const ROLES = ['department', 'leader', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_ZH: Readonly<Record<Role, string>> = {
  department: '填报单位',
  leader: '领导',
  auditor: '审计',
  admin: '统计局管理员',
};

export interface Principal {
  readonly username: string;
  readonly role: Role;
  /** The department a `department` user reports for; null for every other role. */
  readonly dept: string | null;
  /** Display name (显示名), e.g. 发改委填报员. */
  readonly name: string;
}

/** Lower-case login names: ASCII so they fit an S3 metadata value and a Cognito username. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;
/** The same rule as a department id in the catalog. */
export const DEPT_ID_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;
export const MIN_PASSWORD_LENGTH = 10;

export class UserRejectedError extends InputRejectedError {
  override readonly name: string = 'UserRejectedError';
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Checks a principal's fields; the message names the field in Chinese and English. */
export function validatePrincipal(input: {
  username: string;
  role: string;
  dept?: string | null;
  name?: string | null;
}): Principal {
  const problems: string[] = [];
  if (!USERNAME_PATTERN.test(input.username))
    problems.push(
      `用户名「${input.username}」只能用小写字母、数字和 . _ -,2–64 位 / username must be 2–64 lower-case letters, digits, ".", "_" or "-"`,
    );
  if (!isRole(input.role))
    problems.push(
      `角色「${input.role}」无效,应为 ${ROLES.join('|')} / role must be one of ${ROLES.join(', ')}`,
    );
  const dept = input.dept?.trim() || null;
  if (input.role === 'department' && !dept)
    problems.push('填报单位用户必须指定 --dept / a department user needs --dept <id>');
  if (input.role !== 'department' && dept)
    problems.push('只有填报单位用户才有所属单位 / only department users belong to a department (--dept)');
  if (dept && !DEPT_ID_PATTERN.test(dept))
    problems.push(
      `单位编码「${dept}」格式不对 / department id "${dept}" must be lower-case letters, digits, "-"`,
    );
  const name = input.name?.trim() || input.username;
  if (name.length > 64) problems.push('显示名最长 64 个字符 / display name is at most 64 characters');
  if (problems.length > 0) throw new UserRejectedError(problems.join('; '), problems);
  return { username: input.username, role: input.role as Role, dept, name };
}

export function validatePassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new UserRejectedError(
      `密码至少 ${MIN_PASSWORD_LENGTH} 个字符 / the password must have at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  }
}

/** Cognito group names: `department:<id>`, `leader`, `auditor`, `admin`. */
export const GROUP_PREFIX_DEPARTMENT = 'department:';

/**
 * The principal a set of Cognito groups grants, or undefined when the groups grant none or
 * more than one role (an account in two roles is a mistake an admin must fix, not a choice
 * the portal makes silently).
 */
export function principalFromGroups(
  username: string,
  name: string | undefined,
  groups: readonly string[],
): Principal | undefined {
  const granted: { role: Role; dept: string | null }[] = [];
  for (const group of groups) {
    if (group.startsWith(GROUP_PREFIX_DEPARTMENT)) {
      const dept = group.slice(GROUP_PREFIX_DEPARTMENT.length);
      if (DEPT_ID_PATTERN.test(dept)) granted.push({ role: 'department', dept });
    } else if (group === 'leader' || group === 'auditor' || group === 'admin') {
      granted.push({ role: group, dept: null });
    }
  }
  const [only, ...more] = granted;
  if (!only || more.length > 0) return undefined;
  return { username, role: only.role, dept: only.dept, name: name?.trim() || username };
}

/** `users add` for a username that exists. */
export class UserExistsError extends UserRejectedError {
  override readonly name: string = 'UserExistsError';
  constructor(readonly username: string) {
    super(`用户「${username}」已存在 / user "${username}" already exists`);
  }
}
