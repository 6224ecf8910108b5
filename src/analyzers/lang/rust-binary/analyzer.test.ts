import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyzeBytes, ids, meta } from '../shared/test-support.js';
import { rustBinaryAnalyzer } from './index.js';

const elf = readFileSync(new URL('./fixtures/fxrust-dep-v0.elf', import.meta.url));

describe('lang/rust-binary analyzer', () => {
  it.each([
    [meta('usr/local/bin/fxrust', 446_344, 0o755), true],
    [meta('usr/local/bin/fxrust', 446_344, 0o644), false],
    [meta('usr/local/bin/run.sh', 300, 0o755), false],
  ])('required(%j) -> %s', (file, want) => {
    expect(rustBinaryAnalyzer.required(file)).toBe(want);
  });

  it('reads the real cargo-auditable section: crates.io deps, not the binary crate itself', async () => {
    const result = await analyzeBytes(rustBinaryAnalyzer, elf, 'usr/local/bin/fxrust', 0o755);
    expect(result.errors).toBeUndefined();
    expect(ids(result)).toEqual(['cfg-if@1.0.0', 'itoa@1.0.11']);
    expect(result.packages?.[0]).toEqual({
      type: 'cargo',
      name: 'cfg-if',
      version: '1.0.0',
      path: 'usr/local/bin/fxrust',
    });
  });

  it('reports a section that is not zlib data in errors[]', async () => {
    const at = elf.indexOf(deflateSync(Buffer.from('{"packages"')).subarray(0, 2));
    const broken = Buffer.from(elf);
    broken.fill(0, at, at + 8);
    const result = await analyzeBytes(rustBinaryAnalyzer, broken, 'bin/x', 0o755);
    expect(result.packages).toEqual([]);
    expect(result.errors?.[0]).toMatch(/^\.dep-v0 section is not valid zlib data/);
  });

  it('yields nothing for an ELF without the section and for non-ELF files', async () => {
    const go = readFileSync(new URL('../go-binary/fixtures/gron-buildinfo.elf', import.meta.url));
    expect(await analyzeBytes(rustBinaryAnalyzer, go, 'bin/gron', 0o755)).toEqual({ packages: [] });
    expect(await analyzeBytes(rustBinaryAnalyzer, Buffer.alloc(100_000), 'bin/z', 0o755)).toEqual({
      packages: [],
    });
  });
});
