import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

const fixture = (path: string) =>
  fileURLToPath(new URL(`../../src/kube/workload/fixtures/${path}`, import.meta.url));
const dockerfiles = fileURLToPath(new URL('../../src/docker/fixtures', import.meta.url));
const rulesFile = fileURLToPath(new URL('../../examples/rules/kubernetes.yaml', import.meta.url));

interface Json {
  target: { type: string; name: string };
  findings: {
    id: string;
    location: { path?: string; line?: number; resource?: string };
    evidence: Record<string, unknown>;
  }[];
  errors: { analyzer: string; path?: string; message: string }[];
  compliance?: { controls: { id: string; status: string }[]; summary: { pass: number; fail: number } };
}

const json = (stdout: string) => JSON.parse(stdout) as Json;

describe('strata config (built CLI)', () => {
  it('prints a table grouped by resource', async () => {
    const run = await strata(['config', fixture('chart.yaml'), '-q']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`CronJob/shop/shop-report (${fixture('chart.yaml')})`);
    expect(run.stdout).toMatch(/MEDIUM\s+PSS-runAsUser\s+140\s/);
  });

  it('writes the JSON contract with PSS ids, level, version and lines', async () => {
    const run = await strata(['config', fixture('chart.yaml'), '--format', 'json', '--pss-version', 'v1.30']);
    expect(run.code).toBe(0);
    const out = json(run.stdout);
    expect(out.target).toEqual({ type: 'kubernetes', name: fixture('chart.yaml') });
    const runAsUser = out.findings.find((f) => f.id === 'PSS-runAsUser');
    expect(runAsUser).toMatchObject({
      location: { path: fixture('chart.yaml'), line: 140, resource: 'CronJob/shop/shop-report' },
      evidence: {
        level: 'restricted',
        pssVersion: 'v1.30',
        detail: 'container "report" must not set runAsUser=0',
      },
    });
  });

  it('reads manifests from stdin and keeps scanning after a malformed document', async () => {
    const input = [
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nspec:\n  containers: [{name: c, image: i}]\n',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x}\nspec:\n  hostPID: true\n  containers: [{name: c, image: i}]\n',
    ].join('---\n');
    const run = await strata(['config', '-', '--pss', 'baseline', '--format', 'json', '-q'], { input });
    expect(run.code).toBe(0);
    const out = json(run.stdout);
    expect(out.target).toEqual({ type: 'kubernetes', name: 'stdin' });
    expect(out.errors).toEqual([
      { analyzer: 'kube/load', path: 'stdin', message: expect.stringMatching(/^line \d+: /) },
    ]);
    expect(
      out.findings
        .filter((f) => f.id.startsWith('PSS-'))
        .map((f) => [f.id, f.location.resource, f.location.line]),
    ).toEqual([['PSS-hostNamespaces', 'Pod/x/b', 16]]);
  });

  it('writes SARIF with Dockerfile regions', async () => {
    const run = await strata(['config', dockerfiles, '--format', 'sarif', '-q']);
    expect(run.code).toBe(0);
    const sarif = JSON.parse(run.stdout) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
          }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const pipe = sarif.runs[0]?.results.find((r) => r.ruleId === 'STRATA-DF-014');
    expect(pipe?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: `${dockerfiles}/legacy.Dockerfile` },
      region: { startLine: 8 },
    });
  });

  it('gates on --exit-code and --severity', async () => {
    expect((await strata(['config', dockerfiles, '--exit-code', '5', '-q'])).code).toBe(5);
    const hardened = `${dockerfiles}/hardened.Dockerfile`;
    expect((await strata(['config', hardened, '--exit-code', '5', '-q'])).code).toBe(0);
  });

  it('adds a compliance summary and runs custom rules', async () => {
    const run = await strata([
      'config',
      fixture('workloads.yaml'),
      '--compliance',
      'pss-baseline',
      '--rules',
      rulesFile,
      '--format',
      'json',
      '-q',
    ]);
    expect(run.code).toBe(0);
    const out = json(run.stdout);
    expect(out.compliance?.summary).toEqual({ pass: 11, fail: 1 });
    expect(out.compliance?.controls.find((c) => c.id === 'privileged')?.status).toBe('FAIL');
    expect(out.findings.some((f) => f.id === 'CUSTOM-001')).toBe(true);
  });

  it.each([
    [['config', 'nowhere.yaml'], /^strata: nowhere\.yaml: no such file or directory\n$/],
    [
      ['config', '-', '--pss', 'privileged'],
      /^strata: --pss: "privileged" must be one of baseline, restricted\n$/,
    ],
    [
      ['config', '-', '--pss-version', 'v1.025'],
      /^strata: --pss-version: "v1\.025" must be "latest" or "v1\.x"\n$/,
    ],
    [
      ['config', '-', '--compliance', 'cis'],
      /^strata: --compliance: "cis" must be one of pss-baseline, pss-restricted\n$/,
    ],
  ])('refuses bad input %j with one line and exit 2', async (args, stderr) => {
    const run = await strata(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(stderr);
  });

  it('scans 2,000 workload documents from stdin within a 256 MiB heap', async () => {
    const doc = (i: number) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}, namespace: n}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: nginx, securityContext: {privileged: true}}]\n`;
    const input = Array.from({ length: 2_000 }, (_, i) => doc(i)).join('---\n');
    const run = await strata(['config', '-', '--format', 'json', '--severity', 'HIGH', '-q'], {
      input,
      heapMiB: 256,
    });
    expect(run.code).toBe(0);
    expect(json(run.stdout).findings.filter((f) => f.id === 'PSS-privileged')).toHaveLength(2_000);
  });
});

describe('strata config on control-plane files', () => {
  it('reports the CIS findings of an insecure kube-apiserver static pod with file and line', async () => {
    const file = 'src/kube/apiserver/fixtures/kube-apiserver-insecure.yaml';
    const r = await strata(['config', file, '--format', 'json', '-q']);
    const result = JSON.parse(r.stdout) as {
      findings: { id: string; location: { path: string; line?: number } }[];
    };
    const cis = result.findings.filter((f) => f.id.startsWith('CIS-'));
    expect(cis.map((f) => f.id)).toEqual(expect.arrayContaining(['CIS-1.2.1', 'CIS-1.2.6', 'CIS-1.2.7']));
    for (const f of cis) {
      expect(f.location.path).toBe(file);
      expect(f.location.line).toBeGreaterThan(0);
    }
  });

  it('reports no CIS findings for a hardened kube-apiserver', async () => {
    const r = await strata([
      'config',
      'src/kube/apiserver/fixtures/kube-apiserver-hardened.yaml',
      '--format',
      'json',
      '-q',
    ]);
    const result = JSON.parse(r.stdout) as { findings: { id: string }[] };
    expect(result.findings.filter((f) => f.id.startsWith('CIS-'))).toEqual([]);
  });
});

describe('strata fs --scanners misconfig', () => {
  it('checks the Dockerfiles of a project directory as strata config does', async () => {
    const r = await strata(['fs', dockerfiles, '--scanners', 'misconfig', '--format', 'json', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { target: { type: string }; findings: { id: string }[] };
    expect(result.target.type).toBe('filesystem');
    expect(result.findings.some((f) => f.id.startsWith('STRATA-DF-'))).toBe(true);
  });
});
