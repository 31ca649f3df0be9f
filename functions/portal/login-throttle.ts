/**
 * Failed-login limits, per username and per client address: after `maxPerUser` failures for
 * one username (or `maxPerAddress` from one address) within `windowMs`, further attempts are
 * refused until the oldest failure leaves the window — without checking the password, so a
 * guesser learns nothing and burns no scrypt time. Time comes from the caller (no clock read).
 *
 * The counts live in this process: enough for `duban serve`; on Lambda each container counts
 * its own, and Cognito's own lockout is the real guard there (docs/portal.md).
 */
export interface ThrottleLimits {
  readonly maxPerUser: number;
  readonly maxPerAddress: number;
  readonly windowMs: number;
  /** Keys tracked at most (oldest forgotten first), so a flood of names cannot exhaust memory. */
  readonly maxKeys: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = {
  maxPerUser: 5,
  maxPerAddress: 20,
  windowMs: 15 * 60_000,
  maxKeys: 10_000,
};

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: ThrottleLimits = DEFAULT_THROTTLE) {}

  /** Seconds until an attempt is allowed again, or 0 when it is allowed now. */
  retryAfter(username: string, address: string, now: number): number {
    const wait = (key: string, max: number) => {
      const recent = this.recent(key, now);
      if (recent.length < max) return 0;
      const oldest = recent[recent.length - max] ?? now;
      return Math.max(1, Math.ceil((oldest + this.limits.windowMs - now) / 1000));
    };
    return Math.max(
      wait(userKey(username), this.limits.maxPerUser),
      wait(addressKey(address), this.limits.maxPerAddress),
    );
  }

  recordFailure(username: string, address: string, now: number): void {
    for (const key of [userKey(username), addressKey(address)]) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.delete(key);
      this.failures.set(key, recent);
    }
    while (this.failures.size > this.limits.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  /** A successful login clears the username's failures (not the address's: one address may try many names). */
  recordSuccess(username: string): void {
    this.failures.delete(userKey(username));
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
  }
}

const userKey = (username: string) => `u:${username.toLowerCase()}`;
const addressKey = (address: string) => `a:${address}`;
