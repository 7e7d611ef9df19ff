/**
 * Who a per-IP limit counts. An IPv4 address is one subscriber, but an IPv6 subscriber usually
 * holds a whole /64 (often more) and can take a fresh address for every request, so IPv6
 * addresses are counted by their /64 network. An IPv4-mapped IPv6 address counts as its IPv4.
 */

const IP_CHARACTERS = /^[0-9a-f:.]+$/i;

/**
 * `2001:db8:0:1::/64` for any address in that /64; an IPv4 address, or anything that is not an
 * IPv6 address (there is no Cloudflare edge in front in tests), as it is.
 */
export function ipKey(ip: string): string {
  const groups = ip.includes(':') && IP_CHARACTERS.test(ip) ? ipv6Groups(ip) : undefined;
  if (!groups) return ip;
  if (isIpv4Mapped(groups)) return ipv4Of(groups);
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, read by the URL parser (which validates it too). */
function ipv6Groups(ip: string): number[] | undefined {
  let hostname: string;
  try {
    hostname = new URL(`http://[${ip}]/`).hostname;
  } catch {
    return undefined;
  }
  // The parser prints the canonical form: lower-case hex, at most one "::", no dotted quad.
  const [head = '', tail] = hostname.slice(1, -1).split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const [left, right] = [parse(head), parse(tail ?? '')];
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const isIpv4Mapped = (groups: number[]) => groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;

function ipv4Of(groups: number[]): string {
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}
