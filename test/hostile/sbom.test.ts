import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanEnd, expectInputError, strataHostile } from '../support/hostile.js';

/**
 * Issue 13, SBOM targets are untrusted input: `strata image sbom:FILE` under a 512 MiB heap and a
 * 3 GiB address space must end in one clear line for a BOM nested 100,000 levels deep, one over the
 * heap-scaled byte cap, one with over a million components, one that asks for millions of findings
 * (one old Go toolchain listed thousands of times), a FIFO and /dev/zero; and a large but honest BOM
 * just under the caps must scan.
 */
let work: string;
let db: string;
const bom = (components: string) =>
  `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[${components}]}`;
const go = (i: number) =>
  `{"type":"library","name":"stdlib","version":"1.0.0","purl":"pkg:golang/stdlib@1.0.0","properties":[{"name":"strata:path","value":"bin/app${i}"}]}`;
const file = (name: string, text: string) => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};
const scan = (target: string, extra: string[] = []) =>
  strataHostile(['image', `sbom:${target}`, '--db', db, '--format', 'json', '-q', ...extra], {
    timeoutMs: 120_000,
  });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-hostile-sbom-'));
  db = join(work, 'demo.db');
  const r = await strataHostile(['db', 'import', 'data/demo-osv', '--db', db, '-q'], { timeoutMs: 120_000 });
  expectCleanEnd(r, [0]);
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('hostile SBOMs', () => {
  it('a BOM nested 100,000 levels deep: exit 2 at level 33, naming the field', async () => {
    const n = 100_000;
    const deep = `${'{"name":"n","components":['.repeat(n)}{"name":"leaf"}${']}'.repeat(n)}`;
    const r = await scan(file('deep.json', bom(deep)));
    expectInputError(
      r,
      /deep\.json: components\[0\](\.components\[0\]){31}\.components: components nested deeper than 32 levels/,
    );
  });

  it('a BOM over what a 512 MiB heap holds: exit 2 naming the cap, nothing parsed', async () => {
    const path = join(work, 'padded.json');
    writeFileSync(path, bom(''));
    execFileSync('truncate', ['-s', String(30 * 1024 * 1024), path]);
    const r = await scan(path);
    expectInputError(r, /sbom file .*padded\.json: \d+ bytes is over the \d+-byte limit/);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('over a million components: exit 2', async () => {
    const r = await scan(file('many.json', bom(Array(1_000_001).fill('{}').join(','))));
    expectInputError(r, /many\.json: more than 1000000 components/);
  });

  it('one package listed 2,000 times (~300,000 findings): exit 2 before matching for real', async () => {
    const r = await scan(
      file('amplified.json', bom(Array.from({ length: 2000 }, (_, i) => go(i)).join(','))),
    );
    expectInputError(
      r,
      /amplified\.json: its 2000 packages would give over \d+ vulnerability findings, more than this process's heap holds \(most repeated: stdlib 1\.0\.0, 2000 times\)/,
    );
    expect(r.ms).toBeLessThan(30_000);
  });

  it('the same package 500 times (~75,000 findings) is within the budget and scans', async () => {
    const out = join(work, 'repeated.out.json');
    const r = await scan(file('repeated.json', bom(Array.from({ length: 500 }, (_, i) => go(i)).join(','))), [
      '-o',
      out,
    ]);
    expectCleanEnd(r, [0]);
    const one = await scan(file('one.json', bom(go(0))));
    const perCopy = (JSON.parse(one.stdout) as { findings: unknown[] }).findings.length;
    expect(perCopy).toBeGreaterThan(100);
    const findings = (JSON.parse(readFileSync(out, 'utf8')) as { findings: unknown[] }).findings;
    expect(findings).toHaveLength(500 * perCopy);
  });

  it.each(['/dev/zero', 'FIFO'])('sbom:%s: exit 2 without blocking', async (what) => {
    let target = what;
    if (what === 'FIFO') {
      target = join(work, 'fifo.json');
      execFileSync('mkfifo', [target]);
    }
    const r = await scan(target);
    expectInputError(r, /sbom file .*: is (a device|a FIFO), expected a regular file/);
  });
});
