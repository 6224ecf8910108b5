import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderChart } from './index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const KUBE = 'v1.34.0';

interface Case {
  readonly name: string;
  readonly chart: string;
  readonly set?: readonly string[];
  readonly values?: readonly string[];
}

const CASES: readonly Case[] = [
  { name: 'starter', chart: 'starter' },
  {
    name: 'starter-all-on',
    chart: 'starter',
    set: [
      'ingress.enabled=true',
      'ingress.tls[0].secretName=web-tls',
      'ingress.tls[0].hosts={chart-example.local}',
      'autoscaling.enabled=true',
      'serviceAccount.create=false',
      'podAnnotations.a=b',
      'podSecurityContext.fsGroup=2000',
      'securityContext.runAsNonRoot=true',
      'resources.limits.cpu=100m',
      'fullnameOverride=web-frontend-with-a-really-long-name-that-must-be-cut-at-sixty-three-chars',
      'httpRoute.enabled=true',
      'volumes[0].name=data',
      'volumes[0].emptyDir.medium=Memory',
    ],
  },
  { name: 'starter-values-file', chart: 'starter', values: ['starter-values.yaml'] },
  { name: 'subpop', chart: 'subpop' },
  {
    name: 'subpop-tags',
    chart: 'subpop',
    set: ['tags.front-end=false', 'subchart2.enabled=true', 'global.a=x'],
  },
  { name: 'subchart', chart: 'subchart' },
  { name: 'lib-dep', chart: 'chart-with-template-lib-dep' },
  { name: 'lib-dep-packaged', chart: 'chart-with-lib-dep' },
  { name: 'object-order', chart: 'object-order' },
  { name: 'issue-9027', chart: 'issue-9027' },
  { name: 'alpine', chart: 'alpine', set: ['name=custom'] },
];

function helmBinary(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), join(homedir(), 'go', 'bin')]) {
    const p = join(dir, 'helm');
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

type Docs = Record<string, unknown[]>;

/** The documents of a YAML stream, in a stable order (helm sorts by kind and moves hooks). */
function parseDocs(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1' })
    .map((d) => d.toJS() as unknown)
    .filter((v) => v !== null && v !== undefined)
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** `helm template` output as documents per `# Source:` file. */
function helmDocs(text: string): Docs {
  const out: Docs = {};
  for (const part of text.split(/^---\n(?=# Source: )/m)) {
    const m = /^# Source: (.+)\n/.exec(part);
    if (!m) continue;
    const docs = parseDocs(part.slice(m[0].length));
    out[m[1]!] = [...(out[m[1]!] ?? []), ...docs].sort((a, b) =>
      JSON.stringify(a) < JSON.stringify(b) ? -1 : 1,
    );
  }
  return out;
}

async function ourDocs(c: Case): Promise<Docs> {
  const r = await renderChart(join(FIXTURES, 'charts', c.chart), {
    kubeVersion: KUBE,
    set: c.set ?? [],
    valuesFiles: (c.values ?? []).map((v) => join(FIXTURES, v)),
  });
  const out: Docs = {};
  for (const t of r.templates) {
    const docs = parseDocs(t.text);
    if (docs.length) out[t.source] = docs;
  }
  return out;
}

function helmArgs(c: Case): string[] {
  return [
    'template',
    join(FIXTURES, 'charts', c.chart),
    '--kube-version',
    KUBE,
    ...(c.set ?? []).flatMap((s) => ['--set', s]),
    ...(c.values ?? []).flatMap((v) => ['--values', join(FIXTURES, v)]),
  ];
}

const helm = helmBinary();

describe('chart rendering compared with helm template', () => {
  describe.each(CASES)('$name', (c) => {
    const expectedFile = join(FIXTURES, 'expected', `${c.name}.yaml`);

    it.runIf(helm !== undefined)('renders what the real helm renders', async () => {
      const text = execFileSync(helm!, helmArgs(c), { encoding: 'utf8' });
      if (process.env.UPDATE_HELM_FIXTURES) {
        mkdirSync(join(FIXTURES, 'expected'), { recursive: true });
        writeFileSync(expectedFile, text);
      }
      expect(await ourDocs(c)).toEqual(helmDocs(text));
    });

    it('renders the recorded helm output', async () => {
      const expected = helmDocs(readFileSync(expectedFile, 'utf8'));
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(await ourDocs(c)).toEqual(expected);
    });
  });
});
