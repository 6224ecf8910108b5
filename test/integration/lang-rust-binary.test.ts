import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rustBinaryAnalyzer } from '../../src/analyzers/lang/index.js';

/**
 * A Rust binary built here by `cargo auditable` (offline: the dependencies are local path crates):
 * the analyzer lists the dependencies `cargo metadata` resolves, and a plain `cargo build` of the
 * same crate (no `.dep-v0` section) yields nothing.
 */
const pexec = promisify(execFile);
const hasAuditable = await pexec('cargo', ['auditable', '--help']).then(
  () => true,
  () => false,
);

let work: string;

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

async function analyze(bin: string) {
  const content = readFileSync(bin);
  const meta = { path: 'usr/local/bin/app', size: content.length, mode: 0o755 };
  return rustBinaryAnalyzer.analyze({ meta, content }, new AbortController().signal);
}

describe.skipIf(!hasAuditable)('lang/rust-binary on a binary built by cargo auditable', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'strata-rust-'));
    write(join(work, 'numfmt'), {
      'Cargo.toml': '[package]\nname = "numfmt"\nversion = "0.3.1"\nedition = "2021"\n',
      'src/lib.rs': 'pub fn fmt(n: u32) -> String { format!("#{n}") }\n',
    });
    write(join(work, 'app'), {
      'Cargo.toml': [
        '[package]',
        'name = "app"',
        'version = "1.0.0"',
        'edition = "2021"',
        '',
        '[dependencies]',
        'numfmt = { path = "../numfmt" }',
        '',
      ].join('\n'),
      'src/main.rs': 'fn main() { println!("{}", numfmt::fmt(7)); }\n',
    });
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('lists the dependencies cargo metadata resolves, not the binary crate itself', async () => {
    const cwd = join(work, 'app');
    await pexec('cargo', ['auditable', 'build', '--offline', '--release', '--target-dir', join(work, 'a')], {
      cwd,
    });
    const { stdout } = await pexec('cargo', ['metadata', '--offline', '--format-version', '1'], { cwd });
    const metadata = JSON.parse(stdout) as { packages: { name: string; version: string }[] };
    const want = metadata.packages
      .filter((p) => p.name !== 'app')
      .map((p) => `${p.name}@${p.version}`)
      .sort();
    const result = await analyze(join(work, 'a', 'release', 'app'));
    expect(result.errors).toBeUndefined();
    expect(result.packages?.map((p) => `${p.name}@${p.version}`)).toEqual(want);
    expect(want).toEqual(['numfmt@0.3.1']);
    expect(result.packages?.[0]?.extra).toEqual({ source: 'local' });
  }, 300_000);

  it('a plain cargo build (no .dep-v0) yields nothing', async () => {
    const cwd = join(work, 'app');
    await pexec('cargo', ['build', '--offline', '--release', '--target-dir', join(work, 'b')], { cwd });
    expect(await analyze(join(work, 'b', 'release', 'app'))).toEqual({ packages: [] });
  }, 300_000);
});
