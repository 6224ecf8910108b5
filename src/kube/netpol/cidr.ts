/**
 * IPv4 and IPv6 addresses and CIDR blocks as bigint intervals, so ipBlock/except checks and
 * "does this block reach the public internet" are exact for both families.
 */
export type Family = 4 | 6;

export interface IpRange {
  readonly family: Family;
  readonly lo: bigint;
  readonly hi: bigint;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255 || (p.length > 1 && p.startsWith('0'))) return undefined;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let text = s;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    const prefix = text.slice(0, lastColon + 1);
    text = prefix.endsWith('::') ? prefix : prefix.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined) => (h ? h.split(':') : []);
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const explicit = head.length + rest.length + tail.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  const fill = halves.length === 2 ? 8 - explicit : 0;
  const all: number[] = [];
  for (const g of [...head, ...Array(fill).fill('0'), ...rest]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    all.push(Number.parseInt(g, 16));
  }
  for (const item of tail) all.push(item);
  if (all.length !== 8) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

export function parseIp(s: string): { family: Family; value: bigint } | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = s.includes(':') ? parseV6(s) : undefined;
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/** Parses `addr/prefix` (host bits may be set, as the API accepts them); undefined when invalid. */
export function parseCidr(s: string): IpRange | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const ip = parseIp(m[1]!);
  if (!ip) return undefined;
  const bits = ip.family === 4 ? 32 : 128;
  const prefix = Number(m[2]);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const lo = (ip.value >> hostBits) << hostBits;
  return { family: ip.family, lo, hi: lo + (1n << hostBits) - 1n };
}

export function rangeContains(r: IpRange, family: Family, value: bigint): boolean {
  return r.family === family && value >= r.lo && value <= r.hi;
}

export function rangeWithin(inner: IpRange, outer: IpRange): boolean {
  return inner.family === outer.family && inner.lo >= outer.lo && inner.hi <= outer.hi;
}

const parsedIps = new Map<string, { family: Family; value: bigint } | undefined>();

/** parseIp with a bounded memo: pod IPs are tested against every ipBlock of every policy. */
function parseIpCached(ip: string): { family: Family; value: bigint } | undefined {
  if (parsedIps.has(ip)) return parsedIps.get(ip);
  if (parsedIps.size > 100_000) parsedIps.clear();
  const parsed = parseIp(ip);
  parsedIps.set(ip, parsed);
  return parsed;
}

/** Compiles an ipBlock once into a predicate over addresses: inside `cidr`, inside no `except`. */
export function ipBlockMatcher(cidr: string, except: readonly string[]): (ip: string) => boolean {
  const block = parseCidr(cidr);
  const holes = except.map((e) => parseCidr(e)).filter((r): r is IpRange => r !== undefined);
  return (ip) => {
    const addr = parseIpCached(ip);
    if (!addr || !block || !rangeContains(block, addr.family, addr.value)) return false;
    return !holes.some((r) => rangeContains(r, addr.family, addr.value));
  };
}

/** True when `ip` is inside `cidr` and inside none of `except` (NetworkPolicy ipBlock). */
export function ipBlockContains(cidr: string, except: readonly string[], ip: string): boolean {
  return ipBlockMatcher(cidr, except)(ip);
}

const NON_PUBLIC = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/127',
  '::ffff:0:0/96',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
].map((c) => parseCidr(c)!);

/** Subtracts ranges from a range (same family); returns the remaining sorted pieces. */
function subtract(base: IpRange, holes: readonly IpRange[]): IpRange[] {
  let pieces: IpRange[] = [base];
  for (const h of holes) {
    if (h.family !== base.family) continue;
    const next: IpRange[] = [];
    for (const p of pieces) {
      if (h.hi < p.lo || h.lo > p.hi) next.push(p);
      else {
        if (h.lo > p.lo) next.push({ family: p.family, lo: p.lo, hi: h.lo - 1n });
        if (h.hi < p.hi) next.push({ family: p.family, lo: h.hi + 1n, hi: p.hi });
      }
    }
    pieces = next;
  }
  return pieces;
}

/** True when the ipBlock (cidr minus except) contains at least one public internet address. */
export function reachesPublic(cidr: string, except: readonly string[]): boolean {
  const block = parseCidr(cidr);
  if (!block) return false;
  const holes = [
    ...except.map((e) => parseCidr(e)).filter((r): r is IpRange => r !== undefined),
    ...NON_PUBLIC,
  ];
  return subtract(block, holes).length > 0;
}

/** A public address inside the ipBlock, when there is one (used to probe the engine). */
export function publicAddressIn(cidr: string, except: readonly string[]): string | undefined {
  const block = parseCidr(cidr);
  if (!block) return undefined;
  const holes = [
    ...except.map((e) => parseCidr(e)).filter((r): r is IpRange => r !== undefined),
    ...NON_PUBLIC,
  ];
  const first = subtract(block, holes)[0];
  return first ? formatIp(block.family, first.lo) : undefined;
}

export function formatIp(family: Family, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(':');
}

/** Whether a CIDR's prefix length is 0 (`0.0.0.0/0`, `::/0`). */
export function isWholeFamily(cidr: string): boolean {
  const r = parseCidr(cidr);
  return r !== undefined && r.lo === 0n && r.hi === (r.family === 4 ? 2n ** 32n - 1n : 2n ** 128n - 1n);
}
