import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/index.js';
import { fixtureText, IMAGE_FINDINGS, pathsOf } from './testing/fixture.js';

const summary = (f: Finding) =>
  f.kind === 'attack-path'
    ? `${f.evidence.hops.map((h) => h.ref.split(' ')[0]).join(' > ')} => ${f.evidence.goal}`
    : '';

describe('attack paths on the shop cluster', () => {
  const paths = pathsOf(fixtureText());
  const all = paths.map(summary);

  it('reports the known paths, ranked, each hop saying why', () => {
    expect(all).toEqual([
      'internet > Service/shop/web > Deployment/shop/web > CVE-2026-0001 > Deployment/shop/web => node',
      'internet > DaemonSet/monitoring/node-exporter > CVE-2026-0008 > DaemonSet/monitoring/node-exporter => node',
      'internet > Service/shop/web > Deployment/shop/web > CVE-2026-0001 > ServiceAccount/shop/web-sa > ClusterRoleBinding/web-reads-secrets => secrets (cluster-wide)',
      'internet > Ingress/payments/api > Deployment/payments/api > CVE-2026-0005 > ServiceAccount/payments/api > ClusterRoleBinding/api-payments-reader => secrets (cluster-wide)',
      'internet > Ingress/payments/api > Deployment/payments/api > CVE-2026-0005 > StatefulSet/payments/ledger > CVE-2026-0006 > ServiceAccount/payments/ledger > RoleBinding/payments/ledger-secrets => secrets (namespace)',
    ]);
    const top = paths[0]!;
    if (top.kind !== 'attack-path') throw new Error('kind');
    expect(top.id).toBe('STRATA-PATH-0001');
    expect(top.severity).toBe('CRITICAL');
    expect(top.evidence.rank).toBe(1);
    expect(top.evidence.hops.map((h) => h.kind)).toEqual([
      'internet',
      'service',
      'workload',
      'vulnerability',
      'privilege',
    ]);
    expect(top.evidence.hops[1]!.why).toContain('type LoadBalancer port 80 -> targetPort 8080/TCP');
    expect(top.evidence.hops[2]!.why).toBe('no NetworkPolicy selects Deployment/shop/web for ingress');
    expect(top.evidence.hops[3]!.why).toContain(
      'CRITICAL CVE-2026-0001 in deb package libssl3 1.0 (fixed in 3.0.15-1)',
    );
    expect(top.evidence.hops[4]!.why).toContain('container web is privileged');
    // the cheapest fix: one package bump
    expect(top.evidence.fix).toEqual({
      hop: 3,
      action: 'bump libssl3 to 3.0.15-1 in the image of Deployment/shop/web',
    });
    const scores = paths.map((p) => (p.kind === 'attack-path' ? (p.evidence.score ?? 0) : 0));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('names the rules that allow each flow and the aggregated role', () => {
    const lateral = paths.find((p) => summary(p).includes('ledger'))!;
    if (lateral.kind !== 'attack-path') throw new Error('kind');
    const flow = lateral.evidence.hops.find((h) => h.ref === 'StatefulSet/payments/ledger')!;
    expect(flow.why).toContain('5432/TCP');
    expect(flow.why).toContain('NetworkPolicy payments/ledger-from-api rule 0');
    const api = lateral.evidence.hops[2]!;
    expect(api.why).toContain('NetworkPolicy payments/api-from-ingress rule 0');
    expect(api.why).toContain('ingress-nginx');
    const agg = paths.find((p) => summary(p).includes('api-payments-reader'))!;
    if (agg.kind !== 'attack-path') throw new Error('kind');
    expect(agg.evidence.hops.at(-1)!.why).toContain('ClusterRole/payments-reader');
  });

  it('reports none of the known non-paths', () => {
    const text = all.join('\n');
    // privileged and vulnerable, but nothing reaches it (default-deny ingress in its namespace)
    expect(text).not.toContain('internal/batch');
    // LoadBalancer + cluster-admin token, but the policy admits only 10.0.0.0/8
    expect(text).not.toContain('admin-ui');
    // reachable and privileged, but the image is clean
    expect(text).not.toContain('shop/catalog');
    // vulnerable and reachable, but no privilege and no token with rights (or no token mounted)
    expect(text).not.toContain('grafana');
    expect(text).not.toContain('vault-agent');
    expect(text).not.toContain('shop/cart');
  });

  it('a NetworkPolicy that closes a flow closes the path', () => {
    const closed = `${fixtureText()}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-office-only, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Ingress]
  ingress: [{ from: [{ ipBlock: { cidr: 192.168.0.0/16 } }] }]
`;
    const text = pathsOf(closed).map(summary).join('\n');
    expect(text).not.toContain('Deployment/shop/web');
    expect(text).toContain('payments/api');
  });

  it('the aggregation label is what opens the api path', () => {
    const unlabeled = fixtureText().replace(
      'labels: { strata.test/aggregate-to-payments-reader: "true" }',
      'labels: { other: "x" }',
    );
    const text = pathsOf(unlabeled).map(summary).join('\n');
    expect(text).not.toContain('api-payments-reader');
    expect(text).toContain('payments/ledger');
  });

  it('an image with only MEDIUM/LOW findings is no entry', () => {
    const text = pathsOf(
      fixtureText(),
      IMAGE_FINDINGS.filter(
        (f) => !(f.location.resource === 'Deployment/shop/web' && f.severity === 'CRITICAL'),
      ),
    )
      .map(summary)
      .join('\n');
    expect(text).not.toContain('shop/web');
  });
});
