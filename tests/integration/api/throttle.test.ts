// Its own server: the throttle also counts failures per address, and every test client is
// 127.0.0.1, so sharing a server with other login tests would make them interfere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAILURES_PER_ADDRESS } from '../../../gateway/auth/login-throttle.ts';
import { startHarness, PASSWORDS, type Harness } from './api-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('login throttling', () => {
  it('answers 429 AUTH_LOCKED with Retry-After after 5 failures, even for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await h.api('POST', '/api/session', { body: { username: 'patrol', password: `guess-${i}` } })).status).toBe(401);
    }
    const r = await h.api('POST', '/api/session', { body: { username: 'patrol', password: PASSWORDS.patrol } });
    expect(r).toMatchObject({ status: 429, body: { code: 'AUTH_LOCKED' } });
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('one user\'s lockout leaves colleagues at the same address alone', async () => {
    const r = await h.api('POST', '/api/session', { body: { username: 'admin', password: h.adminPassword } });
    expect(r.status).toBe(200);
  });

  it('enough failures from one address lock it for every username', async () => {
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
      const r = await h.api('POST', '/api/session', { body: { username: `nobody${i}`, password: `guess-${i}` } });
      if (r.status === 429) break;
      expect(r.status).toBe(401);
    }
    const r = await h.api('POST', '/api/session', { body: { username: 'admin', password: h.adminPassword } });
    expect(r.status).toBe(429);
  });
});
