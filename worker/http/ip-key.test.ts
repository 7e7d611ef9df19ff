import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipKey } from './ip-key.ts';

const address = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });

interface Spelling {
  leadingZeros: boolean;
  upperCase: boolean;
  compress: boolean;
  dottedTail: boolean;
}
const spelling: fc.Arbitrary<Spelling> = fc.record({
  leadingZeros: fc.boolean(),
  upperCase: fc.boolean(),
  compress: fc.boolean(),
  dottedTail: fc.boolean(),
});

/** One of the many ways to write the same IPv6 address (RFC 4291 section 2.2). */
function write(groups: number[], how: Spelling): string {
  const hex = groups.map((g) => (how.leadingZeros ? g.toString(16).padStart(4, '0') : g.toString(16)));
  const [g6 = 0, g7 = 0] = groups.slice(6);
  const tail = how.dottedTail ? [[g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff].join('.')] : hex.slice(6);
  const parts = [...hex.slice(0, 6), ...tail];
  let text = parts.join(':');
  if (how.compress) {
    // The longest run of zero groups (outside a dotted tail) becomes "::".
    let best = { start: 0, length: 0 };
    for (let start = 0; start < 6 + (how.dottedTail ? 0 : 2); start++) {
      let length = 0;
      while (start + length < (how.dottedTail ? 6 : 8) && groups[start + length] === 0) length++;
      if (length > best.length) best = { start, length };
    }
    if (best.length > 0) {
      const before = parts.slice(0, best.start).join(':');
      const after = parts.slice(best.start + best.length).join(':');
      text = `${before}::${after}`;
    }
  }
  return how.upperCase ? text.toUpperCase() : text;
}

const isMapped = (groups: number[]) => groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;

function expectedKey(groups: number[]): string {
  const [g6 = 0, g7 = 0] = groups.slice(6);
  if (isMapped(groups)) return [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff].join('.');
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

describe('ipKey', () => {
  it('keys every spelling of an IPv6 address on its /64', () => {
    fc.assert(
      fc.property(address, spelling, (groups, how) => {
        expect(ipKey(write(groups, how))).toBe(expectedKey(groups));
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives two IPv6 addresses the same key exactly when they share their first 64 bits', () => {
    fc.assert(
      fc.property(address, address, spelling, spelling, (a, b, howA, howB) => {
        fc.pre(!isMapped(a) && !isMapped(b));
        const sameNetwork = a.slice(0, 4).every((g, i) => g === b[i]);
        expect(ipKey(write(a, howA)) === ipKey(write(b, howB))).toBe(sameNetwork);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keys the same /64 for any suffix of a given network', () => {
    fc.assert(
      fc.property(
        address,
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 4, maxLength: 4 }),
        (a, suffix) => {
          fc.pre(!isMapped(a));
          const b = [...a.slice(0, 4), ...suffix];
          expect(ipKey(write(b, { leadingZeros: false, upperCase: false, compress: true, dottedTail: false }))).toBe(
            ipKey(write(a, { leadingZeros: true, upperCase: true, compress: false, dottedTail: false })),
          );
        },
      ),
    );
  });

  it("turns fast-check's generated IPv6 addresses into a /64 or, when IPv4-mapped, an IPv4 address", () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(ipKey(ip)).toMatch(/^(?:(?:[0-9a-f]{1,4}:){4}:\/64|\d{1,3}(?:\.\d{1,3}){3})$/);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keys an IPv4-mapped address as its IPv4 address', () => {
    expect(ipKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(ipKey('::FFFF:c000:0207')).toBe('192.0.2.7');
  });

  it('leaves IPv4 addresses and anything that is not an IPv6 address as they are', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.ipV4(),
          fc.string().filter((text) => !text.includes(':')),
          fc.constantFrom('::1]/x', '1::2::3', ':::', 'fe80::1%eth0', 'not:an:address', '::ffff:1.2.3'),
        ),
        (ip) => {
          expect(ipKey(ip)).toBe(ip);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
