import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

const CHARTS = join(process.cwd(), 'src/kube/helm/fixtures/charts');

interface Finding {
  readonly id: string;
  readonly location: { readonly path: string; readonly line?: number; readonly resource?: string };
}

async function findings(
  args: readonly string[],
): Promise<{ code: number | null; list: Finding[]; stderr: string }> {
  const run = await strata(['config', ...args, '--format', 'json', '--quiet']);
  const list = run.stdout ? (JSON.parse(run.stdout) as { findings: Finding[] }).findings : [];
  return { code: run.code, list, stderr: run.stderr };
}

function chart(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-chart-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('strata config on a Helm chart directory', () => {
  it('renders the chart and points findings at the template they came from', async () => {
    const { code, list } = await findings([join(CHARTS, 'starter')]);
    expect(code).toBe(0);
    const paths = new Set(list.map((f) => f.location.path));
    expect(paths).toContain('starter/templates/deployment.yaml');
    expect([...paths].every((p) => p.startsWith('starter/templates/'))).toBe(true);
    const priv = list.find(
      (f) =>
        f.id === 'PSS-allowPrivilegeEscalation' && f.location.resource === 'Deployment/release-name-starter',
    );
    expect(priv?.location.line).toBeGreaterThan(1);
  });

  it('applies --helm-set and --helm-values as helm does', async () => {
    const values = chart({ 'v.yaml': 'securityContext:\n  allowPrivilegeEscalation: false\n' });
    const base = await findings([join(CHARTS, 'starter')]);
    const set = await findings([
      join(CHARTS, 'starter'),
      '--helm-values',
      join(values, 'v.yaml'),
      '--helm-set',
      'fullnameOverride=web',
    ]);
    const esc = (l: Finding[]) =>
      l.filter((f) => f.id === 'PSS-allowPrivilegeEscalation').map((f) => f.location.resource);
    expect(esc(base.list)).toContain('Deployment/release-name-starter');
    expect(esc(set.list)).not.toContain('Deployment/web');
    expect(set.list.some((f) => f.location.resource === 'Deployment/web')).toBe(true);
  });

  it('finds a chart inside a directory tree and never parses its templates as YAML', async () => {
    const { code, list, stderr } = await findings([CHARTS]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(list.some((f) => f.location.path === 'parentchart/charts/subchart1/templates/service.yaml')).toBe(
      true,
    );
  });

  it('fails with one line naming the template file and line when a template breaks', async () => {
    const dir = chart({
      'Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 1.0.0\n',
      'templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.app.name }}\n',
    });
    const run = await strata(['config', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('broken/templates/pod.yaml:4:');
    expect(run.stderr).toContain('nil pointer evaluating interface {}.name');
  });

  it('rejects a malformed --helm-set before scanning', async () => {
    const run = await strata(['config', join(CHARTS, 'starter'), '--helm-set', 'noequals']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^strata: --helm-set noequals: .*\n$/);
  });
});

describe('strata config on a Kustomize directory', () => {
  const APP = join(process.cwd(), 'src/kube/kustomize/fixtures/app');

  it('builds the overlay and scans what it would apply', async () => {
    const { code, list } = await findings([join(APP, 'overlays/prod')]);
    expect(code).toBe(0);
    const resources = new Set(list.map((f) => f.location.resource));
    expect(resources).toContain('Deployment/shop/prod-web-v2');
    // the overlay's patch set allowPrivilegeEscalation: false on the web container
    expect(
      list.some(
        (f) =>
          f.id === 'PSS-allowPrivilegeEscalation' && f.location.resource === 'Deployment/shop/prod-web-v2',
      ),
    ).toBe(false);
    expect(list.find((f) => f.location.resource === 'Deployment/shop/prod-web-v2')?.location.path).toMatch(
      /base\/deployment\.yaml$/,
    );
  });

  it('names an unsupported kustomization field and exits 2', async () => {
    const dir = chart({ 'kustomization.yaml': 'resources: []\ncomponents: [../x]\n' });
    const run = await strata(['config', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('field "components" is not supported');
  });
});
