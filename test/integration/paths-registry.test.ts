import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttackPathFinding, ScanResult } from '../../src/core/index.js';
import { strata } from '../support/cli.js';
import { buildImage, type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

// `strata paths` end to end: real images in Debian's docker-registry (the demo image, vulnerable
// against the demo advisories; a clean image built here with umoci), manifests of a small cluster,
// the built CLI. The internet -> vulnerable image -> privileged pod chain is reported first with
// its cheapest fix; the non-paths (clean image, closed by a NetworkPolicy, unreachable) are not.

let work: string;
let registry: RunningRegistry;
let db: string;
let manifests: string;

const deployment = (
  ns: string,
  name: string,
  image: string,
  extra: Record<string, unknown> = {},
  sc = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        ...extra,
        containers: [{ name, image, ports: [{ containerPort: 8080 }], securityContext: sc }],
      },
    },
  },
});
const service = (ns: string, name: string, type: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { type, selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
});

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-paths-'));
  registry = await startRegistry();
  await skopeoCopy('oci-archive:examples/demo-image.tar', `docker://${registry.host}/shop/web:1.0`);
  const layout = join(work, 'layout');
  buildImage(layout, 'clean', {
    layers: [{ files: { 'srv/index.html': '<h1>catalog</h1>\n' }, createdBy: 'COPY index.html /srv/' }],
  });
  await skopeoCopy(`oci:${layout}:clean`, `docker://${registry.host}/shop/catalog:2`);
  db = join(work, 'demo.db');
  const imported = await strata(['db', 'import', 'data/demo-osv', '--db', db, '-q']);
  expect(imported.code, imported.stderr).toBe(0);
  process.env.DOCKER_CONFIG = join(work, 'docker');
  const vulnerable = `${registry.host}/shop/web:1.0`;
  const clean = `${registry.host}/shop/catalog:2`;
  const docs = [
    // the chain: LoadBalancer -> vulnerable image -> privileged pod, and a token that reads every Secret
    deployment('shop', 'web', vulnerable, { serviceAccountName: 'web' }, { privileged: true }),
    service('shop', 'web', 'LoadBalancer'),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'secret-reader' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'web-secrets' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'secret-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }],
    },
    // reachable and privileged, but a clean image
    deployment('shop', 'catalog', clean, {}, { privileged: true }),
    service('shop', 'catalog', 'NodePort'),
    // vulnerable and privileged, exposed, but a NetworkPolicy admits only a private range
    deployment('office', 'intranet', vulnerable, {}, { privileged: true }),
    service('office', 'intranet', 'LoadBalancer'),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'office-only', namespace: 'office' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }],
      },
    },
  ];
  manifests = join(work, 'cluster');
  mkdirSync(manifests);
  writeFileSync(join(manifests, 'cluster.yaml'), docs.map((d) => JSON.stringify(d)).join('\n---\n'));
}, 180_000);

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  delete process.env.DOCKER_CONFIG;
});

const paths = (r: ScanResult) => r.findings.filter((f): f is AttackPathFinding => f.kind === 'attack-path');

describe('strata paths on real images', () => {
  let json: ScanResult;

  it('reports the internet -> vulnerable image -> privileged pod chain first, with its cheapest fix', async () => {
    const run = await strata(['paths', manifests, '--db', db, '--insecure', '--format', 'json', '-q']);
    expect(run.code, run.stderr).toBe(0);
    json = JSON.parse(run.stdout) as ScanResult;
    const found = paths(json);
    expect(found.map((p) => `${p.location.resource} => ${p.evidence.goal}`)).toEqual([
      'Deployment/shop/web => node',
      'Deployment/shop/web => secrets (cluster-wide)',
    ]);
    const top = found[0]!;
    expect(top.id).toBe('STRATA-PATH-0001');
    expect(top.evidence.rank).toBe(1);
    expect(top.evidence.hops.map((h) => [h.kind, h.ref.split(' ')[0]])).toEqual([
      ['internet', 'internet'],
      ['service', 'Service/shop/web'],
      ['workload', 'Deployment/shop/web'],
      ['vulnerability', expect.stringMatching(/^(CVE|DSA|DLA|DEBIAN|GHSA)-/)],
      ['privilege', 'Deployment/shop/web'],
    ]);
    // the advisory hop names a real advisory of the image's package and where it was found
    const vuln = top.evidence.hops[3]!;
    expect(vuln.why).toMatch(/^(CRITICAL|HIGH) /);
    expect(vuln.why).toContain(`image ${registry.host}/shop/web:1.0@sha256:`);
    expect(top.evidence.hops[4]!.why).toContain('container web is privileged');
    // the cheapest fix is the cheapest hop fix
    const costs = top.evidence.hops.map((h, i) => ({ i, fix: h.fix }));
    expect(top.evidence.fix?.action).toBe(costs[top.evidence.fix!.hop]!.fix);
    expect(top.title).toContain(`fix: ${top.evidence.fix?.action}`);
    // both images were pulled and scanned: nothing unknown
    expect(json.errors).toEqual([]);
    expect(json.findings.filter((f) => f.kind !== 'attack-path')).toEqual([]);
  });

  it('takes the same vulnerabilities from a results file, offline, with the same paths', async () => {
    const image = await strata([
      'image',
      `${registry.host}/shop/web:1.0`,
      '--db',
      db,
      '--insecure',
      '--scanners',
      'vuln',
      '--format',
      'json',
      '-q',
    ]);
    expect(image.code, image.stderr).toBe(0);
    const clean = await strata([
      'image',
      `${registry.host}/shop/catalog:2`,
      '--db',
      db,
      '--insecure',
      '--format',
      'json',
      '-q',
    ]);
    expect(clean.code, clean.stderr).toBe(0);
    writeFileSync(join(work, 'results.json'), `[${image.stdout},${clean.stdout}]`);
    const run = await strata([
      'paths',
      manifests,
      '--results',
      join(work, 'results.json'),
      '--offline',
      '--format',
      'json',
      '-q',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const again = paths(JSON.parse(run.stdout) as ScanResult);
    expect(again.map((p) => p.evidence.hops.map((h) => h.ref.replace(/@sha256:[0-9a-f]+/, '')))).toEqual(
      paths(json).map((p) => p.evidence.hops.map((h) => h.ref.replace(/@sha256:[0-9a-f]+/, ''))),
    );
  });

  it('writes the table, SARIF and dot/mermaid graphs; other commands refuse the graph formats', async () => {
    const table = await strata(['paths', manifests, '--db', db, '--insecure', '-q']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('STRATA-PATH-0001');
    const sarif = await strata(['paths', manifests, '--db', db, '--insecure', '--format', 'sarif', '-q']);
    expect(sarif.code, sarif.stderr).toBe(0);
    const doc = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string }[] }[] };
    expect(doc.runs[0]!.results.map((r) => r.ruleId)).toContain('STRATA-PATH-0001');
    const out = join(work, 'paths.dot');
    const dot = await strata([
      'paths',
      manifests,
      '--db',
      db,
      '--insecure',
      '--format',
      'dot',
      '-o',
      out,
      '-q',
    ]);
    expect(dot.code, dot.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^digraph attack_paths \{/);
    expect(text).toContain('Service/shop/web');
    expect(text).not.toContain('catalog');
    const mermaid = await strata(['paths', manifests, '--db', db, '--insecure', '--format', 'mermaid', '-q']);
    expect(mermaid.code, mermaid.stderr).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    for (const args of [
      ['image', `${registry.host}/shop/web:1.0`, '--format', 'dot'],
      ['config', manifests, '--format', 'mermaid'],
    ]) {
      const refused = await strata(args);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--format');
    }
  });

  it('bad input is one line and exit 2', async () => {
    writeFileSync(
      join(work, 'bad.json'),
      '{"schemaVersion":1,"target":{"type":"filesystem","name":"x"},"findings":[]}',
    );
    for (const args of [
      ['paths', manifests, '--results', join(work, 'bad.json')],
      ['paths', manifests, '--results', join(work, 'missing.json')],
      ['paths', manifests, '--max-lateral', 'x', '--results', join(work, 'bad.json')],
      ['paths', manifests, '--format', 'svg'],
      // no result for any image: not "no paths" but no answer
      ['paths', manifests, '--results', join(work, 'none.json'), '-q'],
    ]) {
      const r = await strata(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
