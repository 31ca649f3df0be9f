import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../functions/portal/login-throttle.ts';

const limits = { maxPerUser: 3, maxPerAddress: 5, windowMs: 60_000, maxKeys: 100 };

describe('failed-login limits', () => {
  it('refuses a username after its limit of failures, until the oldest leaves the window', () => {
    // Prepare
    const throttle = new LoginThrottle(limits);
    for (const t of [0, 1000, 2000]) throttle.recordFailure('fgw', '10.0.0.1', t);
    // Act
    const now = throttle.retryAfter('fgw', '10.0.0.9', 3000);
    const later = throttle.retryAfter('fgw', '10.0.0.9', 60_001);
    // Assess
    expect(now).toBe(57);
    expect(later).toBe(0);
  });

  it('counts per address across usernames', () => {
    const throttle = new LoginThrottle(limits);
    for (let i = 0; i < 5; i++) throttle.recordFailure(`user${i}`, '10.0.0.2', i);
    expect(throttle.retryAfter('someone-else', '10.0.0.2', 10)).toBeGreaterThan(0);
    expect(throttle.retryAfter('someone-else', '10.0.0.3', 10)).toBe(0);
  });

  it('a success clears the username but not the address', () => {
    const throttle = new LoginThrottle(limits);
    for (let i = 0; i < 3; i++) throttle.recordFailure('FGW', '10.0.0.4', i);
    throttle.recordSuccess('fgw');
    expect(throttle.retryAfter('fgw', '10.0.0.5', 10)).toBe(0);
    for (let i = 0; i < 2; i++) throttle.recordFailure('other', '10.0.0.4', 10 + i);
    expect(throttle.retryAfter('x', '10.0.0.4', 20)).toBeGreaterThan(0);
  });

  it('forgets the oldest keys past its bound', () => {
    const throttle = new LoginThrottle({ ...limits, maxPerUser: 1, maxKeys: 4 });
    throttle.recordFailure('first', 'a1', 0);
    for (let i = 0; i < 5; i++) throttle.recordFailure(`u${i}`, `b${i}`, 1);
    expect(throttle.retryAfter('first', 'z', 2)).toBe(0);
    expect(throttle.retryAfter('u4', 'z', 2)).toBeGreaterThan(0);
  });
});
