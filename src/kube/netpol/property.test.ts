import { describe, expect, it } from 'vitest';
import { ClassEngine } from './engine.js';
import { evaluate } from './evaluate.js';
import { clusterOf, pod, policy } from './testing/builders.js';
import { randomCluster } from './testing/random-cluster.js';
import { PROTOCOLS } from './types.js';

const PROBE_PORTS = [1, 53, 80, 443, 3306, 5432, 5433, 8080, 9090, 11000, 65535];
const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

describe('class-based engine', () => {
  it.each(SEEDS)('equals a brute-force pod-by-pod evaluation on random cluster #%i', (seed) => {
    const cluster = clusterOf(randomCluster(seed, { namespaces: 3, pods: 14, policies: 1 + (seed % 6) }));
    const engine = new ClassEngine(cluster);
    let allowedSeen = 0;
    for (const src of cluster.pods) {
      for (const dst of cluster.pods) {
        const ports = engine.allowed(engine.classOf.get(src)!, engine.classOf.get(dst)!);
        for (const protocol of PROTOCOLS) {
          for (const port of PROBE_PORTS) {
            const brute = evaluate(cluster, {
              src: { kind: 'pod', pod: src },
              dst: { kind: 'pod', pod: dst },
              port,
              protocol,
            });
            if (brute.allowed !== ports.has(protocol, port)) {
              throw new Error(
                `seed ${seed}: ${src.name} -> ${dst.name} ${port}/${protocol}: brute ${brute.allowed}, classes ${ports}`,
              );
            }
            if (brute.allowed) allowedSeen++;
          }
        }
      }
    }
    expect(allowedSeen).toBeGreaterThanOrEqual(0);
  });

  it('random clusters mix allowed and denied connections (the property is not vacuous)', () => {
    let allowed = 0;
    let denied = 0;
    for (const seed of SEEDS.slice(0, 30)) {
      const cluster = clusterOf(randomCluster(seed, { namespaces: 3, pods: 10, policies: 3 }));
      const engine = new ClassEngine(cluster);
      for (let s = 0; s < engine.classes.length; s++) {
        for (let d = 0; d < engine.classes.length; d++) {
          if (engine.allowed(s, d).has('TCP', 80)) allowed++;
          else denied++;
        }
      }
    }
    expect(allowed).toBeGreaterThan(50);
    expect(denied).toBeGreaterThan(50);
  });

  it('groups pods that policies cannot tell apart into one class', () => {
    const replicas = (name: string, labels: Record<string, string>, n: number) =>
      Array.from({ length: n }, (_, i) =>
        pod('a', `${name}-${i}`, { labels, ports: ['http:8080'], ip: `10.1.0.${i + 1}` }),
      );
    const cluster = clusterOf([
      ...replicas('web', { app: 'web' }, 5),
      ...replicas('api', { app: 'api' }, 4),
      pod('a', 'web-other-port', { labels: { app: 'web' }, ports: ['http:9090'] }),
      policy('a', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.0/30' } }] }] }),
    ]);
    const engine = new ClassEngine(cluster);
    // web: .1-.3 inside the ipBlock, .4-.5 outside; api: .1-.3 inside, .4 outside; one with another named port
    expect(engine.classes.map((c) => c.members.length).sort()).toEqual([1, 1, 2, 3, 3]);
  });
});
