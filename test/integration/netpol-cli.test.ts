import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNetpol } from '../../src/cli/commands/netpol.js';
import { runCommand } from '../support/cli-in-process.js';

/** Runs the command in-process. */
const strata = (...args: string[]) => runCommand(registerNetpol, args);

const WORKLOADS = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata: {name: shop, labels: {team: shop}}
- apiVersion: v1
  kind: Namespace
  metadata: {name: data}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: shop}
spec:
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{containerPort: 8080, name: http}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: postgres, namespace: data}
spec:
  selector: {matchLabels: {app: postgres}}
  template:
    metadata: {labels: {app: postgres}}
    spec:
      containers:
      - name: pg
        image: postgres
        ports: [{containerPort: 5432, name: pg}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: report}}
        spec:
          containers: [{name: r, image: busybox}]
---
apiVersion: v1
kind: Service
metadata: {name: frontend, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: frontend}
  ports: [{port: 80, targetPort: http}]
`;

const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: data}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: postgres-from-shop, namespace: data}
spec:
  podSelector: {matchLabels: {app: postgres}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: shop}}
      podSelector: {matchLabels: {app: frontend}}
    ports:
    - port: pg
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: broken, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - ports: [{port: 80, endPort: 70}]
`;

const FLOWS = `src,dst,port
shop/frontend,data/postgres,5432/TCP
shop/report,data/postgres,5432
0.0.0.0/0,shop/frontend,8080
`;

describe('strata netpol (CLI)', () => {
  let dir: string;
  let workloads: string;
  let policies: string;
  let flows: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-netpol-'));
    workloads = join(dir, 'workloads.yaml');
    policies = join(dir, 'policies.yaml');
    flows = join(dir, 'flows.csv');
    writeFileSync(workloads, WORKLOADS);
    writeFileSync(policies, POLICIES);
    writeFileSync(flows, FLOWS);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports findings with file and line, and malformed policies in errors[]', async () => {
    const r = await strata('netpol', workloads, policies, '--format', 'json', '-q');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.target).toEqual({ type: 'kubernetes', name: `${workloads} ${policies}` });
    const ids = result.findings.map(
      (f: { id: string; location: { resource: string } }) => `${f.id} ${f.location.resource}`,
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        'NETPOL-EXPOSED-SERVICE-UNPROTECTED Service/shop/frontend',
        'NETPOL-NO-DEFAULT-DENY-INGRESS Namespace/shop',
        'NETPOL-POD-NOT-SELECTED CronJob/shop/report',
        'NETPOL-CROSS-NAMESPACE NetworkPolicy/data/postgres-from-shop',
        'NETPOL-UNENCRYPTED StatefulSet/data/postgres',
      ]),
    );
    expect(ids).not.toContain('NETPOL-NO-DEFAULT-DENY-INGRESS Namespace/data');
    const cross = result.findings.find((f: { id: string }) => f.id === 'NETPOL-CROSS-NAMESPACE');
    expect(cross.location).toMatchObject({ path: policies, line: 14 });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].message).toContain('NetworkPolicy shop/broken');
    expect(result.errors[0].message).toContain('spec.ingress[0].ports[0].endPort');
  });

  it('gates on --exit-code', async () => {
    const r = await strata('netpol', workloads, policies, '--severity', 'HIGH', '--exit-code', '5', '-q');
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('NETPOL-EXPOSED-SERVICE-UNPROTECTED');
  });

  it('explain prints the SPEC.md JSON and exits 0 when allowed', async () => {
    const r = await strata(
      'netpol',
      'explain',
      workloads,
      policies,
      '--from',
      'shop/frontend',
      '--to',
      'data/postgres',
      '--port',
      '5432/TCP',
      '--format',
      'json',
      '-q',
    );
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.allowed).toBe(true);
    expect(e.egress).toMatchObject({ allowed: true, isolated: false, policies: [] });
    expect(e.ingress).toMatchObject({
      allowed: true,
      policies: [{ policy: 'data/postgres-from-shop', rule: 0, file: policies }],
    });
  });

  it('explain exits 0 when denied too, naming the isolating policies', async () => {
    const r = await strata(
      'netpol',
      'explain',
      workloads,
      policies,
      '--from',
      'shop/report',
      '--to',
      'data/postgres',
      '--port',
      '5432',
      '--format',
      'json',
      '-q',
    );
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.allowed).toBe(false);
    expect(e.ingress.policies.map((p: { policy: string }) => p.policy)).toEqual([
      'data/deny-all',
      'data/postgres-from-shop',
    ]);
  });

  it('explain refuses an unknown workload with one line and exit 2', async () => {
    const r = await strata(
      'netpol',
      'explain',
      workloads,
      '--from',
      'shop/nope',
      '--to',
      'data/postgres',
      '--port',
      '5432',
      '-q',
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['strata: no pod or workload "shop/nope" in the input']);
  });

  it.each([
    ['json', '"from": "shop/frontend"'],
    ['dot', '"shop/frontend" -> "data/postgres" [label="TCP:5432"];'],
    ['mermaid', 'flowchart LR'],
    ['table', 'shop/frontend'],
  ])('matrix --format %s', async (format, expected) => {
    const r = await strata('netpol', 'matrix', workloads, policies, '--format', format, '-q');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(expected);
  });

  it('matrix refuses a format it does not have', async () => {
    const r = await strata('netpol', 'matrix', workloads, '--format', 'sarif', '-q');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format: "sarif" is not one of table, json, dot, mermaid');
  });

  it('blast-radius lists hops and the internet entry points', async () => {
    const r = await strata(
      'netpol',
      'blast-radius',
      'data/postgres',
      workloads,
      policies,
      '--format',
      'json',
      '-q',
    );
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout);
    expect(b.from).toBe('StatefulSet/data/postgres');
    expect(b.reachable).toEqual([]);
    expect(b.entryPoints).toEqual([
      {
        entry: 'Deployment/shop/frontend',
        hops: 2,
        ports: 'all',
        exposure: ['Service/shop/frontend (LoadBalancer)'],
      },
    ]);
  });

  it('generate writes policies that, applied from the file, allow exactly the flows', async () => {
    const out = join(dir, 'generated.yaml');
    const r = await strata('netpol', 'generate', workloads, '--flows', flows, '-o', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('verified: exactly the 3 declared flows');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('name: strata-default-deny');
    const explainJson = async (from: string, to: string, port: string) =>
      JSON.parse(
        (
          await strata(
            'netpol',
            'explain',
            workloads,
            out,
            '--from',
            from,
            '--to',
            to,
            '--port',
            port,
            '--format',
            'json',
            '-q',
          )
        ).stdout,
      );
    expect((await explainJson('shop/report', 'data/postgres', '5432')).allowed).toBe(true);
    expect((await explainJson('shop/report', 'shop/frontend', '8080')).allowed).toBe(false);
    expect((await explainJson('203.0.113.5', 'shop/frontend', '8080')).allowed).toBe(true);
    expect((await explainJson('data/postgres', 'shop/frontend', '8080')).allowed).toBe(false);
  });

  it('generate --format json carries the verification', async () => {
    const r = await strata('netpol', 'generate', workloads, '--flows', flows, '--format', 'json', '-q');
    const g = JSON.parse(r.stdout);
    expect(g.verification).toMatchObject({ exact: true, missing: [], extra: [] });
    const names = g.policies.map(
      (p: { metadata: { namespace: string; name: string } }) => `${p.metadata.namespace}/${p.metadata.name}`,
    );
    expect(names.sort()).toEqual([
      'data/strata-allow-dns-egress',
      'data/strata-default-deny',
      'data/strata-ingress-statefulset-postgres',
      'shop/strata-allow-dns-egress',
      'shop/strata-default-deny',
      'shop/strata-egress-cronjob-report',
      'shop/strata-egress-deployment-frontend',
      'shop/strata-ingress-deployment-frontend',
    ]);
  });

  it('generate writes no policy for an unlabelled workload and names it with the label to add', async () => {
    const bare = join(dir, 'bare.yaml');
    writeFileSync(
      bare,
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: batch, namespace: shop}',
        'spec:',
        '  selector: {}',
        '  template:',
        '    metadata: {}',
        '    spec: {containers: [{name: c, image: busybox}]}',
      ].join('\n'),
    );
    const bareFlows = join(dir, 'bare-flows.csv');
    writeFileSync(bareFlows, 'shop/batch,data/postgres,5432\n');
    const r = await strata('netpol', 'generate', workloads, bare, '--flows', bareFlows, '--format', 'json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'strata: warning: netpol generate: Deployment/shop/batch has no pod labels, so a policy for it would select every pod of its namespace: no policy generated for shop/batch -> data/postgres 5432/TCP; add a pod-template label such as app.kubernetes.io/name=batch',
    );
    const g = JSON.parse(r.stdout);
    expect(g.policies).toEqual([]);
    expect(g.unselectable).toEqual([
      {
        workload: 'Deployment/shop/batch',
        reason: 'no-labels',
        sharedWith: [],
        labelToAdd: 'app.kubernetes.io/name=batch',
        flows: ['shop/batch -> data/postgres 5432/TCP'],
      },
    ]);
  });
});
