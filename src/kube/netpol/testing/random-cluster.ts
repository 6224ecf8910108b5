import { prng } from '../../../core/testing/prng.js';

export { prng } from '../../../core/testing/prng.js';

import { namespace, pod, policy } from './builders.js';

export interface RandomClusterOptions {
  readonly namespaces: number;
  readonly pods: number;
  readonly policies: number;
  /** distinct values per label key: more values, more classes */
  readonly labelValues?: number;
}

/** Random namespaces, pods and policies exercising every feature of networking/v1. */
export function randomCluster(seed: number, o: RandomClusterOptions): Record<string, unknown>[] {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => rnd() < p;
  const values = Array.from({ length: o.labelValues ?? 3 }, (_, i) => `v${i}`);
  const keys = ['app', 'tier', 'role'];
  const nsNames = Array.from({ length: o.namespaces }, (_, i) => `ns${i}`);
  const randomLabels = () => {
    const l: Record<string, string> = {};
    for (const k of keys) if (chance(0.6)) l[k] = pick(values);
    return l;
  };
  const selector = (): Record<string, unknown> => {
    if (chance(0.25)) return {};
    const s: Record<string, unknown> = {};
    if (chance(0.7)) s.matchLabels = { [pick(keys)]: pick(values) };
    if (chance(0.4)) {
      const operator = pick(['In', 'NotIn', 'Exists', 'DoesNotExist']);
      const needsValues = operator === 'In' || operator === 'NotIn';
      s.matchExpressions = [
        { key: pick(keys), operator, ...(needsValues ? { values: [pick(values), pick(values)] } : {}) },
      ];
    }
    return s;
  };
  const nsSelector = (): Record<string, unknown> =>
    chance(0.3) ? { matchLabels: { 'kubernetes.io/metadata.name': pick(nsNames) } } : selector();
  const peer = (): Record<string, unknown> => {
    const r = rnd();
    if (r < 0.35) return { podSelector: selector() };
    if (r < 0.6) return { namespaceSelector: nsSelector() };
    if (r < 0.85) return { podSelector: selector(), namespaceSelector: nsSelector() };
    const cidr = pick(['10.0.0.0/16', '10.0.1.0/24', '0.0.0.0/0', 'fd00::/8', '10.0.0.0/8']);
    const except =
      cidr === '0.0.0.0/0' && chance(0.5)
        ? ['10.0.1.0/24']
        : cidr === '10.0.0.0/16' && chance(0.5)
          ? ['10.0.0.0/25']
          : [];
    return { ipBlock: { cidr, ...(except.length ? { except } : {}) } };
  };
  const port = (): Record<string, unknown> => {
    const protocol = chance(0.7) ? undefined : pick(['TCP', 'UDP', 'SCTP']);
    const r = rnd();
    const base = protocol ? { protocol } : {};
    if (r < 0.35) return { ...base, port: pick([80, 443, 5432, 8080, 53]) };
    if (r < 0.6) return { ...base, port: pick(['http', 'db', 'dns', 'metrics']) };
    if (r < 0.85) {
      const start = pick([80, 1000, 5000]);
      return { ...base, port: start, endPort: start + int(6000) };
    }
    return { protocol: protocol ?? 'TCP' };
  };
  const rules = (field: 'from' | 'to') =>
    Array.from({ length: int(3) }, () => ({
      ...(chance(0.8) ? { [field]: Array.from({ length: 1 + int(2) }, peer) } : {}),
      ...(chance(0.6) ? { ports: Array.from({ length: 1 + int(2) }, port) } : {}),
    }));
  const out: Record<string, unknown>[] = nsNames.map((n) => namespace(n, randomLabels()));
  for (let i = 0; i < o.pods; i++) {
    const ports: string[] = [];
    if (chance(0.5)) ports.push(`http:${pick([80, 8080])}`);
    if (chance(0.3)) ports.push(`db:${pick([5432, 3306])}`);
    if (chance(0.2)) ports.push(`dns:53/${pick(['UDP', 'TCP'])}`);
    if (chance(0.2)) ports.push(`metrics:${pick([9090, 443])}/${pick(['TCP', 'SCTP'])}`);
    const ip = chance(0.7)
      ? chance(0.8)
        ? `10.0.${int(2)}.${1 + int(250)}`
        : `fd00::${(1 + int(250)).toString(16)}`
      : undefined;
    out.push(pod(pick(nsNames), `pod${i}`, { labels: randomLabels(), ports, ...(ip ? { ip } : {}) }));
  }
  for (let i = 0; i < o.policies; i++) {
    const spec: Record<string, unknown> = { podSelector: selector() };
    if (chance(0.8)) spec.ingress = rules('from');
    if (chance(0.6)) spec.egress = rules('to');
    if (chance(0.5)) spec.policyTypes = pick([['Ingress'], ['Egress'], ['Ingress', 'Egress']]);
    out.push(policy(pick(nsNames), `np${i}`, spec));
  }
  return out;
}
