import type { UserSummary } from '../../core/portal/users.ts';
import type { AuditLog } from '../../use-cases/ports/storage.ts';

export type UserChange = 'user.added' | 'user.disabled';

/**
 * The audit event of a change to a portal account, with the acting user; the same for the
 * table's users (local) and the Cognito pool's (AWS), so the audit log reads one way.
 */
export async function recordUserChange(
  audit: AuditLog,
  action: UserChange,
  user: Pick<UserSummary, 'username' | 'role' | 'dept'>,
  actor: string,
  at: Date,
): Promise<void> {
  await audit.append({
    eventId: `${action}#${user.username}#${at.toISOString()}`,
    at: at.toISOString(),
    action,
    actor,
    period: String(at.getUTCFullYear()),
    detail: { username: user.username, role: user.role, ...(user.dept ? { userDept: user.dept } : {}) },
  });
}
