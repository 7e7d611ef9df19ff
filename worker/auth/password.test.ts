import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from './password.ts';

const FORMAT = /^scrypt\$ln=14,r=8,p=5\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/;

describe('password hashing', () => {
  it('stores a self-describing scrypt hash that verifies only the same password', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(FORMAT);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsf', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).not.toBe(b);
  });

  it('verifies hashes made with older parameters and asks for a rehash', async () => {
    // N=2^10 r=8 p=1, salt "salt-salt-salt!!", computed with Node's crypto.scryptSync.
    const old = 'scrypt$ln=10,r=8,p=1$c2FsdC1zYWx0LXNhbHQhIQ==$FbJlBbTgjkZbIU124rQchiwvQIkUojbVOG6rE2Rzq+E=';
    expect(await verifyPassword('old password', old)).toBe(true);
    expect(await verifyPassword('other', old)).toBe(false);
    expect(needsRehash(old)).toBe(true);
  });

  it('answers false for unknown users and unreadable hashes, and those need a rehash', async () => {
    expect(await verifyPassword('anything', undefined)).toBe(false);
    for (const broken of ['', 'bcrypt$2b$10$x', 'scrypt$ln=30,r=8,p=1$AAAA$AAAA', 'scrypt$ln=14,r=8,p=5$$']) {
      expect(await verifyPassword('anything', broken)).toBe(false);
      expect(needsRehash(broken)).toBe(true);
    }
  });

  it('costs the same for an unknown user as for a wrong password', async () => {
    const stored = await hashPassword('pw');
    const time = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    const wrong = await time(() => verifyPassword('nope', stored));
    const unknown = await time(() => verifyPassword('nope', undefined));
    // Both run one scrypt with the current parameters; allow for scheduling noise.
    expect(Math.abs(wrong - unknown)).toBeLessThan(Math.max(wrong, unknown) * 0.5);
    console.log(JSON.stringify({ event: 'scrypt_cost', params: 'ln=14,r=8,p=5', wrongMs: wrong, unknownMs: unknown }));
  });
});
