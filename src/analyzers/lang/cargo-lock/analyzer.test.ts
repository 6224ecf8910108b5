import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { cargoLockAnalyzer } from './index.js';

describe('lang/cargo-lock analyzer', () => {
  it.each([
    ['Cargo.lock', true],
    ['src/app/Cargo.lock', true],
    ['src/app/Cargo.toml', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(cargoLockAnalyzer.required(meta(path))).toBe(want);
  });

  it('reads the real Cargo.lock: registry crates, not the local crate', async () => {
    const result = await analyzeFixture(
      cargoLockAnalyzer,
      new URL('./fixtures/Cargo.lock', import.meta.url),
      'Cargo.lock',
    );
    expect(ids(result)).toEqual(['cfg-if@1.0.0', 'itoa@1.0.11', 'ryu@1.0.18']);
    expect(result.packages?.every((p) => p.type === 'cargo' && p.extra === undefined)).toBe(true);
  });

  it('keeps git sources and records them', async () => {
    const body = '[[package]]\nname = "x"\nversion = "0.1.0"\nsource = "git+https://example.com/x#abc"\n';
    const result = await analyzeBytes(cargoLockAnalyzer, Buffer.from(body), 'Cargo.lock');
    expect(result.packages?.[0]?.extra).toEqual({ source: 'git+https://example.com/x#abc' });
  });

  it('reports invalid TOML in errors[]', async () => {
    const result = await analyzeBytes(cargoLockAnalyzer, Buffer.from('[[package]\n'), 'Cargo.lock');
    expect(result.errors?.[0]).toMatch(/^invalid TOML in Cargo\.lock/);
  });
});
