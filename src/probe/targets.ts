import { isIP } from 'node:net';
import { ProbeError } from './errors.js';
import { DEFAULT_MAX_TARGETS } from './light.js';
import type { ProbeTarget } from './types.js';

export { DEFAULT_MAX_TARGETS };

/** Ports probed when a target names none: API server, kubelet, etcd, Docker, registry, dashboard. */
export const DEFAULT_PORTS: readonly number[] = [
  443, 2375, 2376, 2379, 5000, 6443, 8001, 8080, 8443, 9090, 10250, 10255,
];

/** `--max-targets` cannot raise the cap beyond this: a probe is for one's own hosts, not a sweep. */
export const HARD_MAX_TARGETS = 4096;

interface Ipv4Net {
  readonly base: number;
  readonly prefix: number;
}

/** Networks that can only be the user's own: private (RFC 1918), shared CGNAT, loopback, link-local. */
const PRIVATE_V4: readonly Ipv4Net[] = [
  { base: ipv4ToInt('10.0.0.0'), prefix: 8 },
  { base: ipv4ToInt('172.16.0.0'), prefix: 12 },
  { base: ipv4ToInt('192.168.0.0'), prefix: 16 },
  { base: ipv4ToInt('100.64.0.0'), prefix: 10 },
  { base: ipv4ToInt('127.0.0.0'), prefix: 8 },
  { base: ipv4ToInt('169.254.0.0'), prefix: 16 },
];

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

const mask = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

function within(inner: Ipv4Net, outer: Ipv4Net): boolean {
  return inner.prefix >= outer.prefix && (inner.base & mask(outer.prefix)) >>> 0 === outer.base;
}

export function isOwnNetwork(net: Ipv4Net, local: readonly Ipv4Net[] = []): boolean {
  return [...PRIVATE_V4, ...local].some((outer) => within(net, outer));
}

function parsePort(text: string, input: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new ProbeError('INVALID_TARGET', `probe: "${input}": port must be 1-65535`);
  }
  return port;
}

/** `host`, `host:port`, `[v6]:port`, `v6` → a host and an optional port. */
export function splitHostPort(input: string): { host: string; port?: number } {
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(input);
  if (bracket?.[1]) {
    if (isIP(bracket[1]) !== 6)
      throw new ProbeError('INVALID_TARGET', `probe: "${input}": not an IPv6 address`);
    return { host: bracket[1], ...(bracket[2] !== undefined ? { port: parsePort(bracket[2], input) } : {}) };
  }
  if (isIP(input) === 6) return { host: input };
  const colon = input.lastIndexOf(':');
  const host = colon === -1 ? input : input.slice(0, colon);
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) {
    throw new ProbeError('INVALID_TARGET', `probe: "${input}": not a host name or address`);
  }
  return { host, ...(colon === -1 ? {} : { port: parsePort(input.slice(colon + 1), input) }) };
}

function parseCidr(input: string): Ipv4Net {
  const [ip = '', prefixText = ''] = input.split('/');
  const prefix = Number(prefixText);
  if (isIP(ip) !== 4 || !/^\d+$/.test(prefixText) || prefix > 32) {
    throw new ProbeError('INVALID_TARGET', `probe: "${input}": only IPv4 CIDRs (a.b.c.d/n) are accepted`);
  }
  return { base: (ipv4ToInt(ip) & mask(prefix)) >>> 0, prefix };
}

/** Every usable address of a network (network and broadcast addresses skipped below /31). */
function hostsOf(net: Ipv4Net): string[] {
  const size = 2 ** (32 - net.prefix);
  const skip = net.prefix < 31 ? 1 : 0;
  const out: string[] = [];
  for (let i = skip; i < size - skip; i++) out.push(intToIpv4(net.base + i));
  return out;
}

export interface ExpandOptions {
  readonly maxTargets?: number;
  /** `--allow-public`: a public CIDR passes here; resolveTargets caps the public addresses */
  readonly allowPublic?: boolean;
  /** `--ports`: the ports for targets that name none (default DEFAULT_PORTS) */
  readonly ports?: readonly number[];
  /**
   * IPv4 networks to accept besides the private ranges (default none: an interface's network may
   * be a public cloud range shared with others; `--allow-public` is the way to probe it)
   */
  readonly localNetworks?: readonly { base: number; prefix: number }[];
}

/**
 * Turns the command line into endpoints. A CIDR must lie inside the user's own networks and the
 * number of addresses is capped (`maxTargets`, never above HARD_MAX_TARGETS) before anything is sent.
 */
export function expandTargets(inputs: readonly string[], options: ExpandOptions = {}): ProbeTarget[] {
  const max = options.maxTargets ?? DEFAULT_MAX_TARGETS;
  if (!Number.isInteger(max) || max < 1 || max > HARD_MAX_TARGETS) {
    throw new ProbeError('INVALID_OPTION', `--max-targets: must be an integer 1-${HARD_MAX_TARGETS}`);
  }
  if (inputs.length === 0)
    throw new ProbeError('INVALID_TARGET', 'probe: give at least one host[:port] or CIDR');
  const ports = options.ports ?? DEFAULT_PORTS;
  const hosts: { host: string; port?: number }[] = [];
  for (const input of inputs) {
    if (input.includes('/')) {
      const net = parseCidr(input);
      if (!options.allowPublic && !isOwnNetwork(net, options.localNetworks)) {
        throw new ProbeError(
          'NOT_OWN_NETWORK',
          `probe: "${input}" is not inside a private, loopback or link-local network; nothing was sent (--allow-public probes public hosts you own)`,
        );
      }
      const size = 2 ** (32 - net.prefix);
      if (size > max + 2) {
        throw new ProbeError(
          'TOO_MANY_TARGETS',
          `probe: "${input}" has ${size} addresses; the cap is ${max} (--max-targets)`,
        );
      }
      for (const host of hostsOf(net)) hosts.push({ host });
    } else {
      hosts.push(splitHostPort(input));
    }
  }
  const distinctHosts = new Set(hosts.map((h) => h.host));
  if (distinctHosts.size > max) {
    throw new ProbeError(
      'TOO_MANY_TARGETS',
      `probe: ${distinctHosts.size} hosts; the cap is ${max} (--max-targets)`,
    );
  }
  const seen = new Set<string>();
  const out: ProbeTarget[] = [];
  for (const h of hosts) {
    for (const port of h.port === undefined ? ports : [h.port]) {
      const key = `${h.host}|${port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ host: h.host, port });
    }
  }
  return out;
}

export function targetName(t: ProbeTarget): string {
  return `${isIP(t.host) === 6 ? `[${t.host}]` : t.host}:${t.port}`;
}

export function parsePorts(text: string): number[] {
  return text.split(',').map((p) => parsePort(p.trim(), `--ports ${text}`));
}
