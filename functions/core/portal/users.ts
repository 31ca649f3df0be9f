import type { Principal } from './principal.ts';

/**
 * A portal account as the local user directory keeps it. The password is stored only as a
 * scrypt hash with its own salt and parameters (`scrypt$<N>$<r>$<p>$<salt>$<hash>`), so the
 * parameters can be raised later without invalidating old hashes.
 */
export interface StoredUser extends Principal {
  readonly passwordHash: string;
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What lists and pages show: never the hash. */
export type UserSummary = Omit<StoredUser, 'passwordHash'>;

export function summarizeUser(user: StoredUser): UserSummary {
  const { passwordHash: _hash, ...summary } = user;
  return summary;
}

/** The users the local portal logs in against (DynamoDB table locally). */
export interface UserDirectory {
  get(username: string): Promise<StoredUser | undefined>;
  /** Every user, by username. */
  list(): Promise<StoredUser[]>;
  /** Creates the user; throws UserExistsError when the username is taken. */
  add(user: StoredUser): Promise<void>;
  /** Replaces a user that exists (disable, new password); throws NotFoundError otherwise. */
  replace(user: StoredUser): Promise<void>;
}
