import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, podObject } from '../../src/audit/testing/events.js';
import { strata } from '../support/cli.js';
import { type KubeApiServer, kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';
import { buildImage, type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

/**
 * `--format html -o FILE` through the built CLI, once per command family: the file is written, is one
 * HTML document whose embedded result is the command's result, and holds a table for each kind of
 * finding the command reported (one row per finding).
 */
interface Embedded {
  target: { type: string; name: string };
  findings: { kind: string }[];
  packages: unknown[];
  metadata?: unknown;
}

let work: string;
let db: string;
let registry: RunningRegistry;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-html-cli-'));
  db = join(work, 'demo.db');
  const imported = await strata(['db', 'import', 'data/demo-osv', '--db', db, '--quiet']);
  expect(imported.code, imported.stderr).toBe(0);
  registry = await startRegistry();
});
afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

const file = (name: string, text: string): string => {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
};

/** Runs the command with `--format html -o`, checks the file, and returns the embedded result. */
async function html(
  args: readonly string[],
  name: string,
  expectCode = 0,
): Promise<{ page: string; result: Embedded }> {
  const out = join(work, `${name}.html`);
  const run = await strata([...args, '--format', 'html', '-o', out]);
  expect(run.code, run.stderr).toBe(expectCode);
  expect(run.stdout).toBe('');
  expect(existsSync(out), `${name}: no file`).toBe(true);
  const page = readFileSync(out, 'utf8');
  expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(page.trimEnd().endsWith('</html>')).toBe(true);
  expect(page.match(/<script\b/g)).toHaveLength(3);
  // loads nothing: no tag outside the scripts has a src/href (attribute values hold no `>`: escaped)
  const markup = page.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
  const tags = (markup.match(/<[a-z][^>]*>/gi) ?? []).map((t) => t.replace(/"[^"]*"/g, '""'));
  expect(tags.filter((t) => /\s(src|href|srcset|action)\s*=/i.test(t))).toEqual([]);
  expect(page).not.toMatch(/(src|href)\s*=\s*["']?https?:/i);
  const json = /<script type="application\/json" id="strata-result">([\s\S]*?)<\/script>/.exec(page)?.[1];
  const result = JSON.parse(json ?? '') as Embedded;
  expect(page.match(/<tbody class="finding"/g) ?? []).toHaveLength(result.findings.length);
  for (const kind of new Set(result.findings.map((f) => f.kind))) {
    const rows = result.findings.filter((f) => f.kind === kind).length;
    const section = new RegExp(`<section class="card findings" id="kind-${kind}"[\\s\\S]*?</section>`).exec(
      page,
    );
    expect(section?.[0].match(/<tbody class="finding"/g), `${name}: ${kind}`).toHaveLength(rows);
  }
  return { page, result };
}

const kinds = (r: Embedded) => [...new Set(r.findings.map((f) => f.kind))].sort();

describe('--format html -o FILE, per command', () => {
  it('image: the demo image, vulnerabilities and the secret', async () => {
    const { page, result } = await html(['image', 'examples/demo-image.tar', '--db', db, '-q'], 'image');
    expect(kinds(result)).toEqual(['secret', 'vulnerability']);
    expect(page).toContain('<dt>Scanners</dt><dd>vuln, secret</dd>');
    expect(page).toContain('Layers (4)');
  });

  it('sbom: packages only', async () => {
    const { page, result } = await html(['sbom', 'examples/demo-image.tar', '-q'], 'sbom');
    expect(result.findings).toEqual([]);
    expect(result.packages.length).toBeGreaterThan(0);
    expect(page).toContain(`Packages (${result.packages.length})`);
    expect(page).toContain('<dt>Scanners</dt><dd>none (packages only)</dd>');
    expect(page).toContain('<h2>No findings</h2>');
  });

  it('fs: a secret in a project directory', async () => {
    const dir = join(work, 'project');
    mkdirSync(dir);
    writeFileSync(join(dir, 'deploy.env'), 'AWS_ACCESS_KEY_ID=AKIAZ7VRSQ4TMEXAMPL3\n');
    const { page, result } = await html(['fs', dir, '--scanners', 'secret', '-q'], 'fs');
    expect(kinds(result)).toEqual(['secret']);
    expect(page).not.toContain('AKIAZ7VRSQ4TMEXAMPL3');
  });

  const POD = `apiVersion: v1
kind: Pod
metadata: {name: root, namespace: default}
spec:
  hostNetwork: true
  containers: [{name: c, image: busybox, securityContext: {privileged: true}}]
`;

  it('config: misconfigurations, and the compliance table with --compliance', async () => {
    const pod = file('pod.yaml', POD);
    const { result } = await html(['config', pod, '-q'], 'config');
    expect(kinds(result)).toEqual(['misconfiguration']);
    const { page } = await html(['config', pod, '--compliance', 'pss-baseline', '-q'], 'config-compliance');
    expect(page).toMatch(/<h2 id="h-compliance">[^<]*: \d+ passed, [1-9]\d* failed<\/h2>/);
  });

  it('rbac: a wildcard role', async () => {
    const rbac = file(
      'rbac.yaml',
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everything}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
subjects: [{kind: ServiceAccount, name: ci, namespace: build}]
`,
    );
    const { result } = await html(['rbac', rbac, '-q'], 'rbac');
    expect(kinds(result)).toEqual(['rbac']);
  });

  it('netpol: a namespace without default deny', async () => {
    const manifests = file(
      'netpol.yaml',
      `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
`,
    );
    const { result } = await html(['netpol', manifests, '-q'], 'netpol');
    expect(kinds(result)).toContain('network');
  });

  it('audit: detections from an audit log; not with --follow', async () => {
    const privileged = auditEvent({
      verb: 'create',
      name: 'root',
      code: 201,
      requestObject: podObject({
        containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }],
      }),
    });
    const log = file('audit.jsonl', `${JSON.stringify(privileged)}\n`);
    const { result } = await html(['audit', log, '-q'], 'audit');
    expect(kinds(result)).toEqual(['audit']);
    const follow = await strata(['audit', log, '--follow', '--format', 'html']);
    expect(follow.code).toBe(2);
    expect(follow.stderr).toMatch(/--format html is one document: not with --follow/);
  });

  it('probe: a registry that answers anonymously', async () => {
    const { result } = await html(['probe', registry.host, '-q'], 'probe');
    expect(kinds(result)).toEqual(['exposure']);
  });

  it('verify and verify-attestation: an unsigned image, the signature findings and the details', async () => {
    const layout = join(work, 'layout');
    buildImage(layout, 'v1', { layers: [{ files: { 'etc/app': 'html' }, createdBy: 'ADD app' }] });
    const image = `${registry.host}/html/app:v1`;
    await skopeoCopy(`oci:${layout}:v1`, `docker://${image}`);
    const key = file(
      'team.pub',
      generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString(),
    );
    const v = await html(['verify', image, '--key', key, '--insecure'], 'verify', 1);
    expect(kinds(v.result)).toEqual(['signature']);
    expect(v.result.metadata).toBeDefined();
    expect(v.page).toContain('<summary>Details</summary>');
    const a = await html(['verify-attestation', image, '--key', key, '--insecure'], 'verify-attestation', 1);
    expect(kinds(a.result)).toEqual(['signature']);
  });
});

const kubeSkip = kubeSkipReason('html-report-cli k8s');

describe.skipIf(kubeSkip)('--format html -o FILE: strata k8s on the real kube-apiserver', () => {
  let kube: KubeApiServer;
  const NS = `strata-html-${process.pid}`;
  beforeAll(async () => {
    kube = await kubeApiServer();
    await kube.ok('POST', '/api/v1/namespaces', { metadata: { name: NS } });
    await kube.ok('POST', `/api/v1/namespaces/${NS}/pods`, {
      metadata: { name: 'root' },
      spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] },
    });
  });
  afterAll(async () => {
    await kube?.request('DELETE', `/api/v1/namespaces/${NS}`);
  });

  it('k8s: the cluster, its misconfigurations and RBAC risks', async () => {
    const { page, result } = await html(['k8s', '--kubeconfig', kube.adminKubeconfig, '-q'], 'k8s');
    expect(result.target.type).toBe('cluster');
    expect(kinds(result)).toContain('misconfiguration');
    expect(page).toContain(`Pod/${NS}/root`);
    expect(page).toContain('<dt>Scanners</dt><dd>misconfig, rbac, netpol</dd>');
  });
});
