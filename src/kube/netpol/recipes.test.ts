import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseKubeText } from '../load/index.js';
import { evaluate } from './evaluate.js';
import { parseCluster } from './parse.js';
import { endpoint, namespace, pod, resource } from './testing/builders.js';
import type { Protocol } from './types.js';

/** Real policies from kubernetes-network-policy-recipes, checked against each recipe's "Try it out". */
function clusterWith(recipe: string, objects: Record<string, unknown>[]) {
  const file = new URL(`./fixtures/recipes/${recipe}`, import.meta.url);
  const loaded = parseKubeText(readFileSync(file, 'utf8'), recipe);
  expect(loaded.errors).toEqual([]);
  const { cluster, errors } = parseCluster([...loaded.resources, ...objects.map((o) => resource(o))]);
  expect(errors).toEqual([]);
  return cluster;
}

type Try = [string, string, string, number, Protocol, boolean];

function check(recipe: string, objects: Record<string, unknown>[], tries: Try[]) {
  const cluster = clusterWith(recipe, objects);
  for (const [what, from, to, port, protocol, allowed] of tries) {
    const v = evaluate(cluster, { src: endpoint(cluster, from), dst: endpoint(cluster, to), port, protocol });
    expect(v.allowed, what).toBe(allowed);
  }
}

describe('kubernetes-network-policy-recipes', () => {
  it('07: allows only type=monitoring pods of team=operations namespaces', () => {
    check(
      '07-web-allow-all-ns-monitoring.yaml',
      [
        namespace('default'),
        namespace('other', { team: 'operations' }),
        pod('default', 'web', { labels: { app: 'web' }, ports: ['80'] }),
        pod('default', 'plain', {}),
        pod('default', 'monitor', { labels: { type: 'monitoring' } }),
        pod('other', 'plain', {}),
        pod('other', 'monitor', { labels: { type: 'monitoring' } }),
      ],
      [
        ['default, unlabelled: blocked', 'default/plain', 'default/web', 80, 'TCP', false],
        ['default, type=monitoring: blocked', 'default/monitor', 'default/web', 80, 'TCP', false],
        ['other, unlabelled: blocked', 'other/plain', 'default/web', 80, 'TCP', false],
        ['other, type=monitoring: allowed', 'other/monitor', 'default/web', 80, 'TCP', true],
      ],
    );
  });

  it('09: allows role=monitoring to port 5000 only', () => {
    check(
      '09-api-allow-5000.yaml',
      [
        pod('default', 'apiserver', { labels: { app: 'apiserver' }, ports: ['http:8000', 'metrics:5000'] }),
        pod('default', 'test', {}),
        pod('default', 'monitor', { labels: { role: 'monitoring' } }),
      ],
      [
        ['unlabelled to 8000: blocked', 'default/test', 'default/apiserver', 8000, 'TCP', false],
        ['unlabelled to 5000: blocked', 'default/test', 'default/apiserver', 5000, 'TCP', false],
        ['role=monitoring to 8000: blocked', 'default/monitor', 'default/apiserver', 8000, 'TCP', false],
        ['role=monitoring to 5000: allowed', 'default/monitor', 'default/apiserver', 5000, 'TCP', true],
      ],
    );
  });

  it('14: app=foo reaches pods in the cluster and DNS, not external addresses', () => {
    check(
      '14-foo-deny-external-egress.yaml',
      [
        pod('default', 'web', { labels: { app: 'web' }, ports: ['80'] }),
        pod('default', 'test', { labels: { app: 'foo' } }),
      ],
      [
        ['to the web Service pods: allowed', 'default/test', 'default/web', 80, 'TCP', true],
        ['to www.example.com: blocked', 'default/test', '93.184.216.34', 80, 'TCP', false],
        ['DNS resolution: allowed', 'default/test', '8.8.8.8', 53, 'UDP', true],
        ['web (not app=foo) is not restricted', 'default/web', '93.184.216.34', 80, 'TCP', true],
      ],
    );
  });
});
