import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elfWithSections } from '../../src/analyzers/lang/shared/elf-builder.js';
import { type FakeEntry, gzipLayer } from '../../src/image/walker/testing/fake-image.js';
import { expectCleanEnd, expectInputError, strataHostile } from '../support/hostile.js';
import { writeLayout } from '../support/oci-layout.js';

/**
 * Issue 12, algorithms: inputs ten times the realistic size, shaped to hit the quadratic corners
 * (layer attribution, duplicate-key checks, ClusterRole aggregation, ELF names, secret regexes),
 * unbounded embedded work (a hostile rpmdb.sqlite, CEL comprehension bombs) and stack-deep spreads.
 * Each case runs the built CLI under the hostile caps and ends in seconds with exit 0 or 2.
 */
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strata-hostile-algorithms-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
async function image(layers: FakeEntry[][], runConfig?: Record<string, unknown>): Promise<string> {
  const dir = join(work, `image-${n++}`);
  const blobs = await Promise.all(layers.map((entries) => gzipLayer(entries)));
  writeLayout(dir, { layers: blobs, ...(runConfig ? { runConfig } : {}) });
  return `oci:${dir}`;
}

function file(name: string, content: string | Buffer): string {
  const path = join(work, `${n++}-${name}`);
  writeFileSync(path, content);
  return path;
}

const OS_RELEASE: FakeEntry = { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' };

const dpkgStatus = (count: number) =>
  Array.from(
    { length: count },
    (_, i) => `Package: pkg-${i}\nStatus: install ok installed\nVersion: 1.${i}\nArchitecture: amd64\n`,
  ).join('\n');

/** `strata sbom` into a file (the stdout capture is capped), the result read back. */
const sbom = async (target: string) => {
  const out = join(work, `sbom-${n++}.json`);
  const r = await strataHostile(['sbom', target, '--format', 'json', '-q', '-o', out]);
  expectCleanEnd(r, [0]);
  return JSON.parse(readFileSync(out, 'utf8')) as { packages: { name: string; layer?: string }[] };
};

describe('package databases at ten times realistic size', () => {
  it('attributes the 40 000 entries of a dpkg status rewritten in three layers', async () => {
    const status = dpkgStatus(40_000);
    const layers = [0, 1, 2].map((i) => [
      OS_RELEASE,
      {
        name: 'var/lib/dpkg/status',
        content: `${status}\n\nPackage: extra-${i}\nStatus: install ok installed\nVersion: 1\n`,
      },
    ]);
    const { packages } = await sbom(await image(layers));
    expect(packages.filter((p) => p.name.startsWith('pkg-'))).toHaveLength(40_000);
  });

  it('reports a 200 MB dpkg status as too large, naming it, and scans the rest', async () => {
    const entry = 'Package: p\nStatus: install ok installed\nVersion: 1\nDescription: '.padEnd(1000, 'x');
    const status = `${entry}\n\n`.repeat(200_000);
    const target = await image([[OS_RELEASE, { name: 'var/lib/dpkg/status', content: status }]]);
    const out = join(work, `sbom-${n++}.json`);
    const r = await strataHostile(['sbom', target, '--format', 'json', '-o', out]);
    expectCleanEnd(r, [0]);
    const { errors } = JSON.parse(readFileSync(out, 'utf8')) as {
      errors: { path: string; message: string }[];
    };
    expect(errors).toContainEqual(
      expect.objectContaining({ path: 'var/lib/dpkg/status', message: expect.stringMatching(/too large/) }),
    );
  });

  it('reads an npm lockfile of 20 000 packages', async () => {
    const lock = {
      name: 'app',
      lockfileVersion: 3,
      packages: Object.fromEntries([
        ['', { name: 'app', version: '1.0.0' }],
        ...Array.from({ length: 20_000 }, (_, i) => [`node_modules/dep-${i}`, { version: `1.0.${i}` }]),
      ]),
    };
    const target = await image([[{ name: 'srv/app/package-lock.json', content: JSON.stringify(lock) }]]);
    const { packages } = await sbom(target);
    expect(packages.filter((p) => p.name.startsWith('dep-'))).toHaveLength(20_000);
  });

  it('reads an rpmdb.sqlite whose Packages table computes a generated column without doing the work', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, b BLOB, blob BLOB AS (zeroblob(50000000)))');
    const insert = db.prepare('INSERT INTO Packages (hnum, b) VALUES (?, ?)');
    for (let i = 1; i <= 1_000; i++) insert.run(i, Buffer.alloc(1));
    const bytes = db.serialize();
    db.close();
    const target = await image([[{ name: 'var/lib/rpm/rpmdb.sqlite', content: bytes }]]);
    const r = await strataHostile(['sbom', target, '--format', 'json', '-q']);
    expectCleanEnd(r, [0]);
    expect(r.stdout + r.stderr).toMatch(/generated column blob/);
  });

  it('reads an executable ELF file with 65 535 sections over a string table without a NUL', async () => {
    const elf = elfWithSections(65_535, Buffer.alloc(4 * 1024 * 1024, 'A'), (i) => i * 61);
    const target = await image([[{ name: 'usr/bin/app', content: elf, mode: 0o755 }]]);
    await sbom(target);
  });
});

describe('image configs at ten times realistic size', () => {
  it('scans an Env entry of 15 MB', async () => {
    const target = await image([[OS_RELEASE]], { Env: [`BLOB=${'sk.'.repeat(5 * 1024 * 1024)}`] });
    expectCleanEnd(await strataHostile(['image', target, '--scanners', 'secret', '--format', 'json', '-q']));
  });

  it('scans 300 000 Env entries that all look like secrets', async () => {
    const env = Array.from({ length: 300_000 }, (_, i) => `API_TOKEN_${i}=Zx81kQ0pLm2w${i}`);
    const target = await image([[OS_RELEASE]], { Env: env });
    const r = await strataHostile(['image', target, '--scanners', 'secret', '--format', 'json', '-q']);
    expectCleanEnd(r, [0, 1]);
    expect(r.stdout).toMatch(/300000 matches of rule env-secret in the image config/);
  });

  it('scans 300 000 Env entries', async () => {
    const env = Array.from({ length: 300_000 }, (_, i) => `VAR_${i}=value-${i}`);
    const target = await image([[OS_RELEASE]], { Env: env });
    const r = await strataHostile(['image', target, '--scanners', 'secret', '--format', 'json', '-q']);
    expectCleanEnd(r);
  });
});

describe('secrets', () => {
  it('scans a file of 1 MiB of glued JWT prefixes', async () => {
    const dir = join(work, `fs-${n++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'tokens.txt'), 'eyJ'.repeat(350_000));
    writeFileSync(join(dir, 'env.txt'), 'sk.'.repeat(350_000));
    expectCleanEnd(await strataHostile(['fs', dir, '--scanners', 'secret', '--format', 'json', '-q']));
  });

  it('runs a custom rule that backtracks catastrophically on V8 over 64 KiB crafted for it', async () => {
    const dir = join(work, `fs-${n++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'data.txt'), `${'a'.repeat(64 * 1024)}!\n${'x'.repeat(64 * 1024)}\n`);
    const config = file(
      'nested.yaml',
      "rules:\n  - {id: nested, title: t, severity: HIGH, regex: '(a+)+$'}\n  - {id: pairs, title: t, severity: HIGH, regex: '(x+x+)+[yz]'}\n",
    );
    const r = await strataHostile([
      'fs',
      dir,
      '--scanners',
      'secret',
      '--secret-config',
      config,
      '--format',
      'json',
      '-q',
    ]);
    expectCleanEnd(r, [0]);
    expect(r.ms).toBeLessThan(30_000);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });
});

describe('Kubernetes inputs at ten times realistic size', () => {
  it('checks a ConfigMap of 80 000 keys and reports a duplicate key as one clear error', async () => {
    const keys = Array.from({ length: 80_000 }, (_, i) => `  k${i}: v\n`).join('');
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${keys}  k1: again\n`;
    const r = await strataHostile(['config', file('big.yaml', yaml), '--format', 'json', '-q']);
    expectCleanEnd(r);
    expect(r.stdout + r.stderr).toMatch(/Map keys must be unique/);
  });

  it('reports a 50 MB manifest as too large, naming it', async () => {
    const line = (i: number) => `  key${i}: value-${i}-${'x'.repeat(20)}\n`;
    const data = Array.from({ length: 1_500_000 }, (_, i) => line(i)).join('');
    const big = file('big50.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${data}`);
    const r = await strataHostile(['config', big, '--format', 'json', '-q']);
    expectCleanEnd(r);
    const { errors } = JSON.parse(r.stdout) as { errors: { path: string; message: string }[] };
    expect(errors).toEqual([
      expect.objectContaining({
        path: big,
        message: expect.stringMatching(/16 MiB|over the \d+-byte limit/),
      }),
    ]);
  });

  it('settles a ClusterRole aggregation cycle of 5 000 roles', async () => {
    const roles = Array.from(
      { length: 5_000 },
      (_, i) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r${i}, labels: {agg: g${i}}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {agg: g${(i + 1) % 5_000}}}]}
rules: [{apiGroups: [""], resources: [res${i}], verbs: [get]}]
`,
    ).join('---\n');
    // each of the 5 000 roles ends with all 5 000 rules: 25 million rule entries in memory
    const r = await strataHostile(['rbac', file('roles.yaml', roles), '--format', 'json', '-q'], {
      timeoutMs: 60_000,
    });
    expectCleanEnd(r);
  });

  it('searches escalation paths over 2 000 namespaces when every subject can create workloads cluster-wide', async () => {
    // before issue 19's index this was one edge per (subject, service account): 6 000 x 6 000,
    // over five minutes; now one edge per subject
    const rbac = 'rbac.authorization.k8s.io';
    const items: Record<string, unknown>[] = [
      {
        apiVersion: `${rbac}/v1`,
        kind: 'ClusterRole',
        metadata: { name: 'deployer' },
        rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }],
      },
      {
        apiVersion: `${rbac}/v1`,
        kind: 'ClusterRole',
        metadata: { name: 'secrets' },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
      },
      {
        apiVersion: `${rbac}/v1`,
        kind: 'ClusterRoleBinding',
        metadata: { name: 'everyone-deploys' },
        roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'deployer' },
        subjects: [{ kind: 'Group', name: 'system:authenticated' }],
      },
      {
        apiVersion: `${rbac}/v1`,
        kind: 'ClusterRoleBinding',
        metadata: { name: 'backup' },
        roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'secrets' },
        subjects: [{ kind: 'ServiceAccount', name: 'a', namespace: 'ns5' }],
      },
    ];
    for (let i = 0; i < 2_000; i++)
      items.push({
        apiVersion: `${rbac}/v1`,
        kind: 'RoleBinding',
        metadata: { name: 'rb', namespace: `ns${i}` },
        roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'secrets' },
        subjects: [
          { kind: 'User', name: `u${i}` },
          { kind: 'ServiceAccount', name: 'a', namespace: `ns${i}` },
          { kind: 'ServiceAccount', name: 'b', namespace: `ns${i}` },
        ],
      });
    const input = file('wide.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    const report = join(work, `${n++}-wide-report.json`);
    const r = await strataHostile(['rbac', input, '--format', 'json', '-o', report, '-q'], {
      timeoutMs: 60_000,
    });
    expectCleanEnd(r);
    const { findings } = JSON.parse(readFileSync(report, 'utf8')) as {
      findings: { id: string; evidence: { subject?: string } }[];
    };
    const paths = findings.filter((f) => f.id === 'RBAC-ESCALATION-PATH');
    // every user and service account but the secret reader itself, and the system:authenticated
    // group, deploys into ns5 and runs as it
    expect(paths).toHaveLength(3 * 2_000 - 1 + 1);
    expect(paths.find((f) => f.evidence.subject === 'Group:system:authenticated')).toBeDefined();
    expect(paths.find((f) => f.evidence.subject === 'User:u1999')).toMatchObject({
      evidence: { reaches: 'ServiceAccount:ns5:a' },
    });
  });

  it('refuses a CEL comprehension bomb when the rules are loaded', async () => {
    const list = `[${Array.from({ length: 1_000 }, (_, i) => i).join(',')}]`;
    const rules = `rules:\n- id: bomb\n  severity: LOW\n  message: m\n  expression: "${list}.all(a, ${list}.all(b, ${list}.all(c, true)))"\n`;
    const manifest = file('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n');
    const r = await strataHostile(['config', manifest, '--rules', file('rules.yaml', rules), '-q']);
    expectInputError(r, /rule bomb: comprehensions nest deeper than 2 levels/);
  });

  it('stops a CEL rule that reads a large resource too often, with an error for that rule', async () => {
    const items = Array.from({ length: 5_000 }, (_, i) => `  k${i}: v`).join('\n');
    const manifest = file(
      'cm.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n${items}\n`,
    );
    const expression = 'object.data.all(a, object.data.all(b, a == b || true))';
    const rules = file(
      'rules.yaml',
      `rules:\n- id: quad\n  severity: LOW\n  message: m\n  expression: "${expression}"\n`,
    );
    const r = await strataHostile(['config', manifest, '--rules', rules, '--format', 'json', '-q']);
    expectCleanEnd(r);
    expect(r.stdout + r.stderr).toMatch(/evaluation stopped after 1000000 reads/);
  });
});
