import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/types.js';
import { type CliRun, strata } from '../support/cli.js';
import { type DebianImage, debianImage } from '../support/debian-image.js';
import { run } from '../support/exec.js';

/**
 * Issue 19: the layer cache through the CLI, on a real 4-layer Debian image (an upgrade, a purge,
 * whiteouts, an opaque directory): a second scan replays every layer from the cache and prints
 * the same result; an image sharing base layers, or the same layers from another source format,
 * hits them; damage to the cache is a miss, never a wrong result.
 */
let img: DebianImage;
let work: string;
let oci: string;
let archive: string;

const debugLines = (r: CliRun, re: RegExp) =>
  r.stderr.split('\n').filter((l) => l.startsWith('strata: debug: ') && re.test(l));
const outcomes = (r: CliRun) =>
  debugLines(r, /: cache (hit|miss)/).map((l) => (l.includes('cache hit') ? 'hit' : 'miss'));

async function scan(target: string, cacheDir: string, ...extra: string[]): Promise<CliRun> {
  const r = await strata(
    [
      'image',
      target,
      '--offline',
      '--scanners',
      'secret',
      '--format',
      'json',
      '--debug',
      '--cache-dir',
      cacheDir,
      ...extra,
    ],
    { cwd: work },
  );
  expect(r.code, r.stderr).toBe(0);
  return r;
}

beforeAll(async () => {
  img = await debianImage();
  work = mkdtempSync(join(tmpdir(), 'strata-layer-cache-'));
  oci = `oci:${img.layout}:${img.tag}`;
  archive = join(work, 'image.docker.tar');
  await run('skopeo', ['copy', '-q', oci, `docker-archive:${archive}:debian:v4`]);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('strata image with the layer cache', () => {
  it('replays every layer on the second scan: same stdout, every layer a hit', async () => {
    const dir = join(work, 'c1');
    const fresh = await scan(oci, dir, '--cache-backend', 'none');
    expect(outcomes(fresh)).toEqual([]);
    const cold = await scan(oci, dir);
    expect(outcomes(cold)).toEqual(['miss', 'miss', 'miss', 'miss']);
    const warm = await scan(oci, dir);
    expect(outcomes(warm)).toEqual(['hit', 'hit', 'hit', 'hit']);
    expect(cold.stdout).toBe(fresh.stdout);
    expect(warm.stdout).toBe(fresh.stdout);
    const result = JSON.parse(warm.stdout) as ScanResult;
    expect(result.packages.length).toBeGreaterThan(80);
    expect(result.packages.find((p) => p.name === img.purged)).toBeUndefined();
  });

  it('hits the shared base layers of another image, and the same layers read from a docker-archive', async () => {
    const dir = join(work, 'c2');
    await scan(`oci:${img.layout}:v2`, dir);
    const v4 = await scan(oci, dir);
    expect(outcomes(v4)).toEqual(['hit', 'hit', 'miss', 'miss']);
    // another source, other blob digests (uncompressed), the same diffIDs
    const freshArchive = await scan(`docker-archive:${archive}`, dir, '--cache-backend', 'none');
    const cachedArchive = await scan(`docker-archive:${archive}`, dir);
    expect(outcomes(cachedArchive)).toEqual(['hit', 'hit', 'hit', 'hit']);
    expect(cachedArchive.stdout).toBe(freshArchive.stdout);
  });

  it('--clear-cache empties the cache first; --cache-backend memory keeps nothing between runs', async () => {
    const dir = join(work, 'c3');
    await scan(oci, dir);
    expect(outcomes(await scan(oci, dir, '--clear-cache'))).toEqual(['miss', 'miss', 'miss', 'miss']);
    expect(outcomes(await scan(oci, dir))).toEqual(['hit', 'hit', 'hit', 'hit']);
    expect(outcomes(await scan(oci, dir, '--cache-backend', 'memory'))).toEqual([
      'miss',
      'miss',
      'miss',
      'miss',
    ]);
  });

  it('a damaged entry is a miss, walked again and rewritten; the result does not change', async () => {
    const dir = join(work, 'c4');
    const fresh = await scan(oci, dir);
    const db = new Database(join(dir, 'layers.db'));
    db.prepare(
      "UPDATE layer_cache SET data = CAST(substr(data, 1, length(data) - 7) || x'00010203040506' AS BLOB)",
    ).run();
    db.close();
    const damaged = await scan(oci, dir);
    expect(outcomes(damaged)).toEqual(['miss', 'miss', 'miss', 'miss']);
    expect(debugLines(damaged, /unusable entry: checksum mismatch/)).toHaveLength(4);
    expect(damaged.stdout).toBe(fresh.stdout);
    expect(outcomes(await scan(oci, dir))).toEqual(['hit', 'hit', 'hit', 'hit']);
  });

  it('a cache file that is not a database is started again, with a warning', async () => {
    const dir = join(work, 'c5');
    const fresh = await scan(oci, dir, '--cache-backend', 'none');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'layers.db'),
      'not a database, but long enough to have a header of one...............',
    );
    const r = await scan(oci, dir);
    expect(r.stderr).toMatch(/warning: layer cache .*layers\.db is damaged .*starting it again/);
    expect(r.stdout).toBe(fresh.stdout);
    expect(outcomes(await scan(oci, dir))).toEqual(['hit', 'hit', 'hit', 'hit']);
  });

  it('an unknown --cache-backend is a usage error (exit 2) naming the flag', async () => {
    const r = await strata(['image', oci, '--offline', '--cache-backend', 'redis'], { cwd: work });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--cache-backend: "redis" is not one of sqlite, memory, none');
  });
});
