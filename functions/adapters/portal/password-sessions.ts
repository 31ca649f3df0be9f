import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../../core/portal/principal.ts';
import type { UserDirectory } from '../../core/portal/users.ts';
import type { SessionAuthority, SignInResult } from '../../use-cases/ports/portal.ts';
import { decoyHash, verifyPassword } from './password-hash.ts';

/**
 * Local logins: username + password checked against the users in the table (scrypt), and
 * sessions kept in this process as random 256-bit tokens (only their sha256 is held).
 * A session ends after `idleMs` without use or `maxAgeMs` in all; every request re-reads
 * the user, so `duban users disable` (another process) ends that user's sessions at once.
 * Restarting `duban serve` logs everyone out — a local server, not a cluster.
 */
export interface PasswordSessionOptions {
  readonly users: UserDirectory;
  readonly clock: () => Date;
  readonly idleMs?: number;
  readonly maxAgeMs?: number;
  /** Sessions held at most; the least recently used go first. */
  readonly maxSessions?: number;
}

interface Session {
  readonly username: string;
  readonly createdAt: number;
  lastSeen: number;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export function createPasswordSessions(options: PasswordSessionOptions): SessionAuthority {
  const idleMs = options.idleMs ?? 2 * 3600_000;
  const maxAgeMs = options.maxAgeMs ?? 12 * 3600_000;
  const maxSessions = options.maxSessions ?? 10_000;
  const sessions = new Map<string, Session>();

  return {
    async signIn(username, password): Promise<SignInResult> {
      const user = await options.users.get(username);
      // An unknown or disabled user costs the same scrypt as a real one: no timing oracle.
      const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
      if (!user || user.disabled || !matches) return { ok: false };
      const token = randomBytes(32).toString('base64url');
      const now = options.clock().getTime();
      sessions.set(digest(token), { username: user.username, createdAt: now, lastSeen: now });
      while (sessions.size > maxSessions) {
        const oldest = sessions.keys().next().value;
        if (oldest === undefined) break;
        sessions.delete(oldest);
      }
      const principal: Principal = {
        username: user.username,
        role: user.role,
        dept: user.dept,
        name: user.name,
      };
      return { ok: true, principal, token, maxAgeSeconds: Math.floor(maxAgeMs / 1000) };
    },

    async resolve(token) {
      const key = digest(token);
      const session = sessions.get(key);
      if (!session) return undefined;
      const now = options.clock().getTime();
      if (now - session.lastSeen > idleMs || now - session.createdAt > maxAgeMs) {
        sessions.delete(key);
        return undefined;
      }
      const user = await options.users.get(session.username);
      if (!user || user.disabled) {
        sessions.delete(key);
        return undefined;
      }
      session.lastSeen = now;
      // Most recently used last, so eviction takes the idle ones.
      sessions.delete(key);
      sessions.set(key, session);
      return { username: user.username, role: user.role, dept: user.dept, name: user.name };
    },

    async signOut(token) {
      sessions.delete(digest(token));
    },
  };
}
