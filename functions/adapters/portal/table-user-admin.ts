import { NotFoundError } from '../../core/errors.ts';
import { UserRejectedError, validatePassword, validatePrincipal } from '../../core/portal/principal.ts';
import { summarizeUser, type UserDirectory } from '../../core/portal/users.ts';
import type { NewUser, UserAdmin } from '../../use-cases/ports/portal.ts';
import type { AuditLog } from '../../use-cases/ports/storage.ts';
import { hashPassword } from './password-hash.ts';
import { recordUserChange } from './user-audit.ts';

/**
 * Managing local portal accounts (the admin page and `duban users`): validated fields, a
 * scrypt hash per password, and an audit event for every change with the acting user.
 */
export interface TableUserAdminDeps {
  readonly directory: UserDirectory;
  readonly audit: AuditLog;
  readonly clock: () => Date;
}

export function createTableUserAdmin(deps: TableUserAdminDeps): UserAdmin {
  return {
    async list() {
      return (await deps.directory.list())
        .map(summarizeUser)
        .sort((a, b) => a.username.localeCompare(b.username));
    },

    async add(input: NewUser, actor: string) {
      const principal = validatePrincipal(input);
      validatePassword(input.password);
      const now = deps.clock();
      const stored = {
        ...principal,
        passwordHash: await hashPassword(input.password),
        disabled: false,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      await deps.directory.add(stored);
      const summary = summarizeUser(stored);
      await recordUserChange(deps.audit, 'user.added', summary, actor, now);
      return summary;
    },

    async disable(username: string, actor: string) {
      if (username === actor)
        throw new UserRejectedError('不能停用自己的账号 / you cannot disable your own account');
      const user = await deps.directory.get(username);
      if (!user) throw new NotFoundError(`没有用户「${username}」 / no user "${username}"`);
      if (user.disabled) return summarizeUser(user);
      const now = deps.clock();
      const disabled = { ...user, disabled: true, updatedAt: now.toISOString() };
      await deps.directory.replace(disabled);
      const summary = summarizeUser(disabled);
      await recordUserChange(deps.audit, 'user.disabled', summary, actor, now);
      return summary;
    },
  };
}
