import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanEnd, strataHostile } from '../support/hostile.js';

/**
 * Issue 12, big YAML: `strata config` splits a manifest into documents before parsing, caps each
 * document (16 MiB) and the file (what the heap holds: 13.2 MiB under 512 MiB), and keeps per
 * resource only its object and a line index. Each
 * case runs the built CLI under the hostile caps (512 MiB heap) and ends with exit 0 or 2, never an
 * out-of-memory abort.
 */
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strata-hostile-yaml-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Report {
  readonly findings: { location?: { path?: string; line?: number } }[];
  readonly errors: { path: string; message: string }[];
}

/** `strata config FILE` into a report file (the stdout capture is capped), read back. */
async function config(file: string): Promise<{ ms: number; report: Report }> {
  const out = `${file}.out.json`;
  const r = await strataHostile(['config', file, '--format', 'json', '-q', '-o', out], {
    timeoutMs: 120_000,
  });
  expectCleanEnd(r);
  return { ms: r.ms, report: JSON.parse(readFileSync(out, 'utf8')) as Report };
}

/** A ConfigMap of `keys` lines of about 34 bytes: 1.5 million make 50 MB. */
const bigConfigMap = (keys: number) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${Array.from(
    { length: keys },
    (_, i) => `  key${i}: value-${i}-${'x'.repeat(20)}\n`,
  ).join('')}`;

describe('a 50 MB single YAML document', () => {
  // under the 512 MiB heap the file cap (1/40 of the heap) refuses it before the document cap can
  it('is one error naming the file, in seconds', async () => {
    const file = join(work, 'single.yaml');
    writeFileSync(file, bigConfigMap(1_500_000));
    const { ms, report } = await config(file);
    expect(report.errors).toEqual([
      {
        analyzer: 'kube/load',
        path: file,
        message: expect.stringMatching(/^line 1: .*over the 16 MiB|over the \d+-byte limit/),
      },
    ]);
    expect(ms).toBeLessThan(20_000);
  });
});

describe('a 100 MB file of 40 000 small documents', () => {
  it('is scanned or refused with one clear error, never an abort', async () => {
    const env = (i: number) =>
      Array.from(
        { length: 30 },
        (_, k) => `            - name: VAR_${k}\n              value: "value-${i}-${k}-xxxxxxxx"`,
      ).join('\n');
    const doc = (i: number) =>
      `# Source: app/templates/deployment-${i}.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: team-${i % 40}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/app:${i}\n          env:\n${env(i)}\n`;
    const file = join(work, 'many.yaml');
    writeFileSync(file, Array.from({ length: 42_000 }, (_, i) => doc(i)).join('---\n'));
    const { report } = await config(file);
    if (report.errors.length > 0) {
      expect(report.errors).toEqual([
        { analyzer: 'kube/load', path: file, message: expect.stringMatching(/over the \d+-byte limit/) },
      ]);
    } else {
      expect(report.findings.length).toBeGreaterThan(42_000);
    }
  });
});
