import { describe, expect, it } from 'vitest';
import { hashPassword, randomPassword, verifyPassword } from '../../../gateway/auth/password.ts';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('salts per hash: the same password hashes differently and never appears in the hash', async () => {
    const [a, b] = [await hashPassword('same-password-1'), await hashPassword('same-password-1')];
    expect(a).not.toBe(b);
    expect(a).not.toContain('same-password-1');
    expect(a.startsWith('scrypt$')).toBe(true);
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$a$b$c$d$e')).toBe(false);
  });

  it('makes random passwords of at least 16 characters that differ each time', () => {
    const a = randomPassword();
    expect(a.length).toBeGreaterThanOrEqual(16);
    expect(randomPassword()).not.toBe(a);
  });
});
