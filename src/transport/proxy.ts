import { isIP } from 'node:net';

/**
 * The proxy for a URL from the environment, as curl and Go read it: `https_proxy`/`HTTPS_PROXY`
 * for https URLs, `http_proxy`/`HTTP_PROXY` for http ones (the lower-case name wins; an https URL
 * never falls back to HTTP_PROXY), and `no_proxy`/`NO_PROXY` to bypass: `*`, host names (which
 * match their subdomains; a leading `.` or `*.` is allowed), `host:port`, IP addresses and CIDR
 * ranges. A proxy given without a scheme is `http://`.
 */
export function proxyFromEnv(url: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const pick = (name: string): string | undefined => {
    const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
    return v?.trim() ? v.trim() : undefined;
  };
  const proxy = url.protocol === 'https:' ? pick('https_proxy') : pick('http_proxy');
  if (!proxy) return undefined;
  if (bypassed(url, pick('no_proxy') ?? '')) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** Whether NO_PROXY exempts this URL. */
export function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const cidr = /^([0-9a-f:.]+)\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      if (isIP(host) && inCidr(host, cidr[1]!, Number(cidr[2]))) return true;
      continue;
    }
    const hp = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    const name = (hp ? hp[1]! : entry).replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (hp && Number(hp[2]) !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

function toBits(ip: string): bigint | undefined {
  if (isIP(ip) === 4) {
    return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  }
  if (isIP(ip) !== 6) return undefined;
  const [head = '', tail = ''] = ip.split('::');
  const parts = (s: string) => (s ? s.split(':') : []);
  const h = parts(head);
  const t = ip.includes('::') ? parts(tail) : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n);
}

function inCidr(ip: string, base: string, bits: number): boolean {
  if (isIP(ip) !== isIP(base)) return false;
  const width = isIP(ip) === 4 ? 32 : 128;
  const a = toBits(ip);
  const b = toBits(base);
  if (a === undefined || b === undefined || bits > width) return false;
  const shift = BigInt(width - bits);
  return a >> shift === b >> shift;
}
