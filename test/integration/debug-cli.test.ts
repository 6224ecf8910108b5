import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, strata } from '../support/cli.js';

/**
 * Issue 13: `--debug` logs what the scan does (source, layers, analyzers, database, timings, ignore
 * file) to stderr, and changes nothing on stdout.
 */
let work: string;
let db: string;
let plain: CliRun;
let debug: CliRun;
const IMAGE = 'examples/demo-image.tar';
const debugLines = (r: CliRun) => r.stderr.split('\n').filter((l) => l.startsWith('strata: debug: '));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-debug-'));
  db = join(work, 'strata.db');
  expect((await strata(['db', 'import', 'data/demo-osv', '--db', db, '--quiet'])).code).toBe(0);
  writeFileSync(join(work, '.trivyignore'), 'CVE-2005-2541\n');
  const env = { STRATA_CACHE_DIR: join(work, 'cache') };
  plain = await strata(['image', join(process.cwd(), IMAGE), '--db', db], { cwd: work, env });
  debug = await strata(['image', join(process.cwd(), IMAGE), '--db', db, '--debug'], { cwd: work, env });
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('strata image --debug', () => {
  it('changes nothing on stdout nor the exit code', () => {
    expect(debug.code).toBe(plain.code);
    expect(debug.stdout).toBe(plain.stdout);
    expect(debugLines(plain)).toEqual([]);
  });

  it('names the source, and each layer with its digest, size and time', () => {
    const lines = debugLines(debug);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^strata: debug: source oci-archive: .*demo-image\.tar, manifest sha256:[0-9a-f]{64}, 4 layers, [\d.]+ MiB in \d+ ms$/,
      ),
    );
    const layers = lines.filter((l) => / layer \d\/4 /.test(l) && l.includes(' walked in '));
    expect(layers).toHaveLength(4);
    for (const l of layers)
      expect(l).toMatch(/layer \d\/4 sha256:[0-9a-f]{64} \([\d.]+ (?:B|KiB|MiB)\) walked in \d+ ms$/);
  });

  it('says per layer whether the layer cache had it (the plain run before filled it)', () => {
    const lines = debugLines(debug).filter((l) => /: cache (hit|miss)/.test(l));
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l).toMatch(/layer \d\/4 sha256:[0-9a-f]{64}: cache hit$/);
  });

  it('lists the analyzers and detectors chosen, the database with its age, and detector timings', () => {
    const text = debugLines(debug).join('\n');
    expect(text).toMatch(/analyzers \(\d+\): os\/release, os\/dpkg, .*lang\/npm, .*secret\/builtin/);
    expect(text).toContain('detectors: vuln/osv, secret/image-config (scanners: vuln,secret)');
    expect(text).toContain(`advisory database ${db}: updated `);
    expect(text).toMatch(/ago\)/);
    expect(text).toMatch(/detector vuln\/osv: \d+ findings, 0 errors in \d+ ms/);
  });

  it('names the ignore file used', () => {
    expect(debugLines(debug)).toContain('strata: debug: ignore file: .trivyignore (1 entry)');
  });
});

describe('strata fs --debug', () => {
  it('names the directory and says when no ignore file was found', async () => {
    const dir = join(work, 'project');
    mkdirSync(dir);
    const r = await strata(['fs', dir, '--db', db, '--debug', '--scanners', 'secret'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(debugLines(r)).toEqual(
      expect.arrayContaining([
        `strata: debug: source directory: ${dir}`,
        'strata: debug: ignore file: none (no --ignorefile, no .strataignore or .trivyignore in the working directory)',
        'strata: debug: detectors: none (scanners: secret)',
      ]),
    );
  });
});
