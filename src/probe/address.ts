import { BlockList, isIP } from 'node:net';

/**
 * What an address is, for the probe's promise to touch only the user's own machines. Numeric
 * hosts are normalised the way the C library reads them (`inet_aton`: `134744072`, `0x8080808`,
 * `010.010.010.010`, `127.1`) and IPv4-mapped IPv6 (`::ffff:8.8.8.8`) is its IPv4 address, so no
 * spelling slips a public address past the check.
 */
export type AddressClass = 'loopback' | 'private' | 'link-local' | 'public';

export interface NormalAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

const OWN = new BlockList();
const RANGES: readonly [string, number, 'ipv4' | 'ipv6', AddressClass][] = [
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'private'], // shared address space (CGNAT), never routed publicly
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'private'],
  ['fe80::', 10, 'ipv6', 'link-local'],
];
const BY_CLASS = new Map<AddressClass, BlockList>();
for (const [net, prefix, type, cls] of RANGES) {
  OWN.addSubnet(net, prefix, type);
  const list = BY_CLASS.get(cls) ?? new BlockList();
  list.addSubnet(net, prefix, type);
  BY_CLASS.set(cls, list);
}

const NUMERIC_PART = /^(?:0x[0-9a-f]*|\d+)$/i;

function partValue(part: string): number | undefined {
  if (/^0x/i.test(part)) return part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
  if (/^0[0-7]*$/.test(part)) return Number.parseInt(part, 8);
  if (/^[1-9]\d*$/.test(part)) return Number(part);
  return undefined; // `08`, `09`: not octal, and the C library refuses them
}

/**
 * An IPv4 host in any spelling `inet_aton` accepts, as dotted quads; `undefined` when it is not
 * all numeric (a name). Throws nothing: a numeric spelling out of range comes back as `invalid`.
 */
export function parseIpv4Loose(host: string): string | 'invalid' | undefined {
  const parts = host.split('.');
  if (!parts.every((p) => NUMERIC_PART.test(p))) return undefined;
  if (parts.length > 4) return 'invalid'; // all numeric: never a valid host name either
  const values = parts.map(partValue);
  if (values.some((v) => v === undefined || !Number.isSafeInteger(v))) return 'invalid';
  const nums = values as number[];
  const last = nums[nums.length - 1]!;
  const head = nums.slice(0, -1);
  if (head.some((v) => v > 255) || last >= 2 ** (8 * (4 - head.length))) return 'invalid';
  const n = head.reduce((acc, v, i) => acc + v * 2 ** (8 * (3 - i)), 0) + last;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted quad, without a zone). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad?.[1]) {
    const o = quad[1].split('.').map(Number);
    text = `${text.slice(0, -quad[1].length)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [left = '', right] = text.split('::');
  const l = left ? left.split(':') : [];
  const r = right !== undefined && right !== '' ? right.split(':') : [];
  const fill = right === undefined ? [] : Array(8 - l.length - r.length).fill('0');
  return [...l, ...fill, ...r].map((g) => Number.parseInt(g, 16));
}

/** The IPv4 address an IPv6 address carries when it is IPv4-mapped (`::ffff:a.b.c.d`) or IPv4-compatible (`::a.b.c.d`). */
function embeddedIpv4(groups: readonly number[]): string | undefined {
  const zeros = groups.slice(0, 5).every((g) => g === 0);
  if (!zeros || (groups[5] !== 0xffff && groups[5] !== 0)) return undefined;
  if (groups[5] === 0 && groups[6] === 0) return undefined; // `::`, `::1` and friends are IPv6
  const [hi = 0, lo = 0] = groups.slice(6);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/**
 * A numeric host as the address a connection would reach, or `undefined` for a name (which
 * must be resolved). `invalid` for a numeric spelling no resolver reads as one address.
 */
export function normalizeHost(host: string): NormalAddress | 'invalid' | undefined {
  const bare = host.replace(/%.*$/, ''); // an IPv6 zone (`fe80::1%eth0`) does not change the class
  if (isIP(bare) === 6) {
    const groups = ipv6Groups(bare);
    const v4 = embeddedIpv4(groups);
    if (v4) return { address: v4, family: 4 };
    return { address: groups.map((g) => g.toString(16)).join(':'), family: 6 };
  }
  const v4 = parseIpv4Loose(bare);
  if (v4 === 'invalid') return 'invalid';
  return v4 ? { address: v4, family: 4 } : undefined;
}

/** The class of a normalised address. */
export function classifyAddress(a: NormalAddress): AddressClass {
  const type = a.family === 4 ? 'ipv4' : 'ipv6';
  for (const cls of ['loopback', 'private', 'link-local'] as const) {
    if (BY_CLASS.get(cls)?.check(a.address, type)) return cls;
  }
  return 'public';
}

/** Whether a normalised address is loopback, private or link-local. */
export function isOwnAddress(a: NormalAddress): boolean {
  return OWN.check(a.address, a.family === 4 ? 'ipv4' : 'ipv6');
}
