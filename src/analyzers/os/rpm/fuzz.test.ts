import { describe, expect, it } from 'vitest';
import { prng } from './fixtures/mutate.js';
import { analyzeBytes, fixture } from './fixtures/support.js';

/**
 * Damaged databases must end in packages and/or `errors`, never in a throw or a hang. Each case
 * flips a few random bytes (a fixed seed, so every run checks the same mutants) or truncates.
 */
function mutants(source: Buffer, count: number, seed: number, focus: number): Buffer[] {
  const random = prng(seed);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const copy = Buffer.from(source);
    const flips = 1 + Math.floor(random() * 8);
    for (let f = 0; f < flips; f++) {
      const at = Math.floor(random() * Math.min(focus, copy.length));
      copy[at] = Math.floor(random() * 256);
    }
    out.push(i % 10 === 9 ? copy.subarray(0, Math.floor(random() * copy.length)) : copy);
  }
  return out;
}

describe.each([
  ['BerkeleyDB', 'bdb-libuuid/Packages', 300, 1, 100_000],
  ['BerkeleyDB, metadata and hash pages', 'bdb-libuuid/Packages', 200, 2, 3 * 4096],
  ['NDB', 'ndb-sle15-bci/Packages.db', 200, 3, 1_400_000],
  ['NDB, slot page and first blobs', 'ndb-sle15-bci/Packages.db', 200, 4, 16_384],
  ['sqlite', 'sqlite-cbl-mariner/rpmdb.sqlite', 20, 5, 4_000_000],
])('rpm analyzer fuzzing: %s', (_name, file, count, seed, focus) => {
  it(`turns ${count} damaged copies into results, never a throw`, async () => {
    for (const content of mutants(fixture(file), count, seed, focus)) {
      const result = await analyzeBytes(content);
      for (const message of result.errors ?? []) expect(message).toMatch(/^(rpm |not an rpm database)/);
      for (const pkg of result.packages ?? []) expect(pkg.name).not.toBe('');
    }
    // hundreds of parses: seconds on a loaded 2-core CI machine, past vitest's 5 s default
  }, 60_000);
});
