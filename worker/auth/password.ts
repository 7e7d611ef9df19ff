/**
 * Password hashing with scrypt from `node:crypto`, which workerd runs natively (nodejs_compat).
 *
 * Parameters are OWASP's scrypt row N=2^14, r=8, p=5: equivalent to N=2^17 r=8 p=1 in cost but
 * needing 16 MiB instead of 128 MiB, so it fits a Worker isolate's 128 MB. (argon2 via WebAssembly
 * cannot be compiled at run time in workerd, and PBKDF2 is capped below OWASP's count there.)
 *
 * Hashes are self-describing, `scrypt$ln=14,r=8,p=5$<salt>$<hash>` (standard base64), so the
 * parameters can be raised later: `needsRehash` tells a login to store a fresh hash. Passwords
 * arrive NFKC-normalised by the request schemas (protocol/accounts.ts).
 */
import { scrypt, timingSafeEqual } from 'node:crypto';

interface Params {
  /** log2 of N, the CPU/memory cost. */
  ln: number;
  r: number;
  p: number;
}

const CURRENT: Params = { ln: 14, r: 8, p: 5 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds for stored parameters, so a corrupted row cannot exhaust the isolate's memory or time. */
const MAX_MEMORY_BYTES = 64 * 1024 * 1024;
const MAX_P = 16;

const FORMAT = /^scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

interface Parsed extends Params {
  salt: Buffer;
  hash: Buffer;
}

/** Hashes a password with the current parameters and a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = Buffer.from(crypto.getRandomValues(new Uint8Array(SALT_BYTES)));
  const hash = await derive(password, salt, CURRENT, KEY_BYTES);
  return `scrypt$ln=${CURRENT.ln},r=${CURRENT.r},p=${CURRENT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/**
 * Checks a password against a stored hash. With no stored hash (unknown user) it still derives a
 * key with the current parameters and answers false, so an unknown account costs the same time
 * as a wrong password.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parsed = stored === undefined ? undefined : parse(stored);
  const target = parsed ?? DUMMY;
  const actual = await derive(password, target.salt, target, target.hash.length);
  return timingSafeEqual(actual, target.hash) && parsed !== undefined;
}

/** True when a stored hash was made with other parameters than today's (or cannot be read). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.ln !== CURRENT.ln || parsed.r !== CURRENT.r || parsed.p !== CURRENT.p;
}

/** Stands in for a missing hash; no password matches it because verifyPassword checks `parsed`. */
const DUMMY: Parsed = {
  ...CURRENT,
  salt: Buffer.alloc(SALT_BYTES),
  hash: Buffer.alloc(KEY_BYTES),
};

function parse(stored: string): Parsed | undefined {
  const m = FORMAT.exec(stored);
  if (!m) return undefined;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4] ?? '', 'base64');
  const hash = Buffer.from(m[5] ?? '', 'base64');
  const inRange = ln >= 1 && r >= 1 && p >= 1 && p <= MAX_P && memoryOf({ ln, r, p }) <= MAX_MEMORY_BYTES;
  return inRange && salt.length > 0 && hash.length > 0 ? { ln, r, p, salt, hash } : undefined;
}

/** scrypt's working memory: 128·N·r bytes. */
const memoryOf = (params: Params) => 128 * 2 ** params.ln * params.r;

function derive(password: string, salt: Buffer, params: Params, length: number): Promise<Buffer> {
  // Node's default memory cap (32 MiB) would refuse stored hashes with larger parameters.
  const options = { N: 2 ** params.ln, r: params.r, p: params.p, maxmem: 2 * memoryOf(params) };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
