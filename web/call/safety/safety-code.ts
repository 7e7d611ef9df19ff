/**
 * The safety code of a call: 20 digits, shown as 4 groups of 5, that both people see alike when
 * their browsers are connected to each other and to nobody else (Signal's safety numbers are the
 * model). It is made from the two DTLS certificate fingerprints actually in use on the connection
 * (fingerprints.ts); someone in the middle has to present a certificate of their own to each side,
 * so each side then gets a different code.
 *
 * Derivation (version 1; README "Safety code" has the same, with test vectors in safety-code.test.ts):
 *   1. each fingerprint as `<algorithm>:<hex>`: algorithm lower-case (e.g. `sha-256`), hex
 *      lower-case with the colons removed;
 *   2. the two sorted (JavaScript string order), so both sides agree whose comes first;
 *   3. input = UTF-8 of `edgecall-safety-code-v1\n<first>\n<second>`;
 *   4. digest = SHA-512(input), then ITERATIONS times digest = SHA-512(digest ‖ input): slow to
 *      search for a certificate whose code collides with a given one, as Signal's 5,200 rounds;
 *   5. from the final digest, bytes 5i … 5i+4 (i = 0…3) read as a big-endian 40-bit number,
 *      modulo 100,000, zero-padded: group i.
 */
import { type Fingerprint, normalizeFingerprint } from './fingerprints.ts';

export const SAFETY_CODE_VERSION = 'edgecall-safety-code-v1';
export const ITERATIONS = 5200;
const GROUPS = 4;
const GROUP_BYTES = 5;

/** The 4 groups of 5 digits for these two fingerprints, in either order. */
export async function safetyCode(a: Fingerprint, b: Fingerprint): Promise<string[]> {
  const [first, second] = [normalizeFingerprint(a), normalizeFingerprint(b)].sort();
  const input = new TextEncoder().encode(`${SAFETY_CODE_VERSION}\n${first}\n${second}`);
  let digest = new Uint8Array(await crypto.subtle.digest('SHA-512', input));
  const round = new Uint8Array(digest.length + input.length);
  round.set(input, digest.length);
  for (let i = 0; i < ITERATIONS; i++) {
    round.set(digest, 0);
    digest = new Uint8Array(await crypto.subtle.digest('SHA-512', round));
  }
  return Array.from({ length: GROUPS }, (_, group) => {
    let number = 0;
    for (const byte of digest.subarray(group * GROUP_BYTES, (group + 1) * GROUP_BYTES)) number = number * 256 + byte;
    return String(number % 100_000).padStart(5, '0');
  });
}
