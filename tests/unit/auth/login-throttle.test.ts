import { describe, expect, it } from 'vitest';
import { LoginThrottle, MAX_FAILURES_PER_ADDRESS, WINDOW_MS } from '../../../gateway/auth/login-throttle.ts';

const MIN = 60 * 1000;

describe('login throttle', () => {
  it('locks a key after 5 failures within 15 minutes, until the window has passed', () => {
    const t = new LoginThrottle();
    const keys = ['user:alice', 'ip:1.2.3.4'];
    for (let i = 0; i < 4; i++) t.recordFailure(keys, i * MIN);
    expect(t.lockedForMs(keys, 4 * MIN)).toBe(0);
    t.recordFailure(keys, 4 * MIN);
    expect(t.lockedForMs(keys, 5 * MIN)).toBe(WINDOW_MS - 5 * MIN);
    // The first failure leaves the window at 15 min: below the limit again.
    expect(t.lockedForMs(keys, WINDOW_MS)).toBe(0);
  });

  it('failures spread over more than the window never lock', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 20; i++) t.recordFailure(['user:bob'], i * 4 * MIN);
    expect(t.lockedForMs(['user:bob'], 80 * MIN)).toBe(0);
  });

  it('locks by address across usernames (with more room than one user) and by username across addresses', () => {
    const t = new LoginThrottle();
    // Five typos by colleagues behind one NAT address do not lock out the next person.
    for (let i = 0; i < 5; i++) t.recordFailure([`user:u${i}`, 'ip:9.9.9.9'], 0);
    expect(t.lockedForMs(['user:new', 'ip:9.9.9.9'], MIN)).toBe(0);
    for (let i = 5; i < MAX_FAILURES_PER_ADDRESS; i++) t.recordFailure([`user:u${i}`, 'ip:9.9.9.9'], 0);
    expect(t.lockedForMs(['user:new', 'ip:9.9.9.9'], MIN)).toBeGreaterThan(0);
    expect(t.lockedForMs(['user:new', 'ip:8.8.8.8'], MIN)).toBe(0);
    for (let i = 0; i < 5; i++) t.recordFailure(['user:carol', `ip:10.0.0.${i}`], 0);
    expect(t.lockedForMs(['user:carol', 'ip:10.0.0.99'], MIN)).toBeGreaterThan(0);
  });

  it('clearing a username (after a good login) lifts its count', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 5; i++) t.recordFailure(['user:dan'], 0);
    t.clear('user:dan');
    expect(t.lockedForMs(['user:dan'], 1)).toBe(0);
  });
});
