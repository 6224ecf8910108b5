import { lookup as dnsLookup } from 'node:dns/promises';
import type { ScanError } from '../core/types.js';
import { isOwnAddress, type NormalAddress, normalizeHost } from './address.js';
import { PROBE_ANALYZER, ProbeError } from './errors.js';
import { PUBLIC_MAX_TARGETS } from './light.js';
import { isOwnNetwork, targetName } from './targets.js';
import type { ProbeTarget } from './types.js';

export { PUBLIC_MAX_TARGETS };

/** With `--allow-public`, at most this many public addresses: a look at one's own edge, not a sweep. */

export type Lookup = (host: string) => Promise<readonly NormalAddress[]>;

export interface ResolveOptions {
  /** `--allow-public`: public addresses are probed too (at most PUBLIC_MAX_TARGETS of them) */
  readonly allowPublic?: boolean;
  /** name resolution (default: the system resolver, as a connection would use) */
  readonly lookup?: Lookup;
  /** the user's IPv4 networks besides the private ranges (default: none) */
  readonly localNetworks?: readonly { base: number; prefix: number }[];
}

export interface ResolvedTargets {
  /** every target with the address it will be probed at (names pinned to what they resolved to) */
  readonly targets: ProbeTarget[];
  /** names that did not resolve: not probed, and said so */
  readonly errors: ScanError[];
}

const systemLookup: Lookup = async (host) => {
  const found = await dnsLookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function isOwn(a: NormalAddress, local: ResolveOptions['localNetworks']): boolean {
  if (isOwnAddress(a)) return true;
  return (
    a.family === 4 &&
    (local?.length ?? 0) > 0 &&
    isOwnNetwork({ base: ipv4ToInt(a.address), prefix: 32 }, local)
  );
}

/** Every address a host stands for: a numeric spelling normalised, a name resolved. */
async function addressesOf(host: string, lookup: Lookup): Promise<readonly NormalAddress[]> {
  const numeric = normalizeHost(host);
  if (numeric === 'invalid') throw new ProbeError('INVALID_TARGET', `probe: "${host}": not a valid address`);
  if (numeric) return [numeric];
  const found = await lookup(host);
  return found.map((a) => {
    const n = normalizeHost(a.address);
    return n && n !== 'invalid' ? n : a;
  });
}

/**
 * Resolves every target before anything is sent, and refuses the whole run when one of them is
 * (or resolves to) an address outside loopback, the private ranges, link-local and the given
 * local networks, unless `allowPublic`. Names are pinned to the address checked, so a second
 * lookup cannot point the probe elsewhere.
 */
export async function resolveTargets(
  targets: readonly ProbeTarget[],
  options: ResolveOptions = {},
): Promise<ResolvedTargets> {
  const lookup = options.lookup ?? systemLookup;
  const byHost = new Map<string, readonly NormalAddress[] | Error>();
  for (const t of targets) {
    const host = t.host;
    if (byHost.has(host)) continue;
    try {
      // a target already pinned is checked at its address, without a second lookup
      byHost.set(host, await addressesOf(t.address ?? host, lookup));
    } catch (err) {
      if (err instanceof ProbeError) throw err;
      byHost.set(host, err instanceof Error ? err : new Error(String(err)));
    }
  }
  const publicAddresses = new Set<string>();
  for (const [host, found] of byHost) {
    if (found instanceof Error) continue;
    const outside = found.filter((a) => !isOwn(a, options.localNetworks));
    if (outside.length === 0) continue;
    if (!options.allowPublic) {
      const what = outside[0]!;
      const target = targets.find((t) => t.host === host)!;
      const shown = what.address === host ? '' : ` (${what.address})`;
      throw new ProbeError(
        'NOT_OWN_NETWORK',
        `probe: ${targetName(target)}${shown} is not a loopback, private or link-local address; nothing was sent (--allow-public probes public hosts you own)`,
      );
    }
    for (const a of outside) publicAddresses.add(a.address);
  }
  if (publicAddresses.size > PUBLIC_MAX_TARGETS) {
    throw new ProbeError(
      'TOO_MANY_TARGETS',
      `probe: ${publicAddresses.size} public addresses; --allow-public probes at most ${PUBLIC_MAX_TARGETS}`,
    );
  }
  const out: ProbeTarget[] = [];
  const errors: ScanError[] = [];
  for (const t of targets) {
    const found = byHost.get(t.host);
    if (found instanceof Error || !found || found.length === 0) {
      const why =
        found instanceof Error ? ((found as NodeJS.ErrnoException).code ?? found.message) : 'no address';
      errors.push({
        analyzer: PROBE_ANALYZER,
        path: targetName(t),
        message: `not probed: ${t.host} does not resolve (${why})`,
      });
      continue;
    }
    out.push({ ...t, address: found[0]!.address });
  }
  return { targets: out, errors };
}
