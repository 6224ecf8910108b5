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

  it('reads the real Cargo.lock: registry crates, and the local crate as the application', async () => {
    const result = await analyzeFixture(
      cargoLockAnalyzer,
      new URL('./fixtures/Cargo.lock', import.meta.url),
      'Cargo.lock',
    );
    expect(ids(result)).toEqual(['cfg-if@1.0.0', 'fxrust@0.1.0', 'itoa@1.0.11', 'ryu@1.0.18']);
    const [apps, deps] = [
      result.packages?.filter((p) => p.extra?.main === true),
      result.packages?.filter((p) => p.extra === undefined),
    ];
    expect(apps?.map((p) => p.name)).toEqual(['fxrust']);
    expect(deps?.every((p) => p.type === 'cargo')).toBe(true);
    expect(deps).toHaveLength(3);
  });

  it("leaves a workspace's members out: its packages cannot be told apart by member", async () => {
    const crate = (name: string) => `[[package]]\nname = "${name}"\nversion = "0.1.0"\n\n`;
    const body = `${crate('a')}${crate('b')}[[package]]\nname = "ryu"\nversion = "1.0.18"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n`;
    const result = await analyzeBytes(cargoLockAnalyzer, Buffer.from(body), 'Cargo.lock');
    expect(ids(result)).toEqual(['ryu@1.0.18']);
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
