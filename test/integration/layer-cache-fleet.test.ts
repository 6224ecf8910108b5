import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/types.js';
import { PostgresStore } from '../../src/server/index.js';
import { strata } from '../support/cli.js';
import { type DebianImage, debianImage } from '../support/debian-image.js';
import { type Postgres, postgresBin, startPostgres } from '../support/postgres.js';
import { type CliProcess, startCli, stopCli, until } from '../support/processes.js';
import { type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

/**
 * Issue 19: in fleet mode the layer cache lives in PostgreSQL and every worker shares it. Two
 * real `strata worker` processes scan a real 4-layer Debian image at the same time (one row per
 * layer however they race), then another image over the same base: its base layers are served
 * from the rows the first scans wrote (their last use moves, no row is added), and every result
 * equals the CLI's scan without a cache. A damaged row is walked again and rewritten.
 */
describe.skipIf(!postgresBin())('layer cache shared by fleet workers on PostgreSQL', () => {
  let img: DebianImage;
  let registry: RunningRegistry;
  let postgres: Postgres;
  let store: PostgresStore;
  let sql: pg.Pool;
  let home: string;
  let env: NodeJS.ProcessEnv;
  const workers: CliProcess[] = [];
  const ref = (tag: string) => `${registry.host}/debian:${tag}`;

  beforeAll(async () => {
    img = await debianImage();
    [registry, postgres] = await Promise.all([startRegistry(), startPostgres()]);
    for (const tag of ['v2', 'v4']) await skopeoCopy(`oci:${img.layout}:${tag}`, `docker://${ref(tag)}`);
    store = new PostgresStore(postgres.url);
    await store.migrate();
    sql = new pg.Pool({ connectionString: postgres.url, max: 2 });
    home = mkdtempSync(join(tmpdir(), 'strata-cache-fleet-'));
    env = { HOME: home, XDG_DATA_HOME: '', STRATA_DB: '', STRATA_DATABASE_URL: postgres.url };
    for (let i = 0; i < 2; i++) workers.push(startCli(['worker', '--concurrency', '1'], env));
    await until('both workers', async () =>
      workers.every((w) => w.out().includes('worker started')) ? true : undefined,
    );
  });

  afterAll(async () => {
    await stopCli(...workers);
    await sql?.end();
    await store?.close();
    await registry?.stop();
    postgres?.destroy();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const rows = async () =>
    (
      await sql.query<{ diff_id: string; last_used: string }>(
        'SELECT diff_id, last_used FROM layer_cache ORDER BY diff_id',
      )
    ).rows.map((r) => ({ diffId: r.diff_id, lastUsed: Number(r.last_used) }));

  let seq = 0;
  async function scanJobs(...tags: string[]): Promise<ScanResult[]> {
    const ids = tags.map(() => `cache-job-${++seq}`);
    for (const [i, tag] of tags.entries()) {
      await store.insertJob({
        id: ids[i]!,
        type: 'scan-image',
        payload: { target: ref(tag), insecure: true, scanners: ['secret'] },
        maxAttempts: 1,
      });
    }
    const results: ScanResult[] = [];
    for (const id of ids) {
      const job = await until(
        `job ${id}`,
        async () => {
          const j = await store.getJob(id);
          return j && (j.status === 'done' || j.status === 'failed') ? j : undefined;
        },
        240_000,
        250,
      );
      expect(job.status, `${job.error}\n${workers.map((w) => w.out().slice(-2000)).join('\n---\n')}`).toBe(
        'done',
      );
      results.push((await store.getResult(job.resultId ?? ''))!);
    }
    return results;
  }

  /** the CLI's scan of the same reference, without any cache */
  async function cliScan(tag: string): Promise<ScanResult> {
    const r = await strata(
      [
        'image',
        ref(tag),
        '--insecure',
        '--scanners',
        'secret',
        '--format',
        'json',
        '--cache-backend',
        'none',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as ScanResult;
  }
  const comparable = (r: ScanResult) =>
    JSON.parse(JSON.stringify(r).replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"T"'));

  it('two workers scanning one image at once leave one row per layer; results equal the uncached CLI', async () => {
    const [a, b] = await scanJobs('v4', 'v4');
    const layers = a!.layers!.map((l) => l.diffId).sort();
    expect(layers).toHaveLength(4);
    expect((await rows()).map((r) => r.diffId)).toEqual(layers);
    const cli = comparable(await cliScan('v4'));
    expect(comparable(a!)).toEqual(cli);
    expect(comparable(b!)).toEqual(cli);
  });

  it('another image over the same base is served the base layers another worker wrote', async () => {
    const before = await rows();
    const [v2] = await scanJobs('v2');
    const after = await rows();
    const base = new Set(v2!.layers!.map((l) => l.diffId));
    expect(base.size).toBe(2);
    // no new rows: both of v2's layers were v4's; they were read (last use moved), the others not
    expect(after.map((r) => r.diffId)).toEqual(before.map((r) => r.diffId));
    for (const [i, row] of after.entries()) {
      if (base.has(row.diffId)) expect(row.lastUsed).toBeGreaterThan(before[i]!.lastUsed);
      else expect(row.lastUsed).toBe(before[i]!.lastUsed);
    }
    expect(comparable(v2!)).toEqual(comparable(await cliScan('v2')));
  });

  it('a damaged row is a miss: walked again, rewritten, the result unchanged', async () => {
    await sql.query("UPDATE layer_cache SET data = '\\x00010203'::bytea");
    const [v4] = await scanJobs('v4');
    expect(comparable(v4!)).toEqual(comparable(await cliScan('v4')));
    const sizes = (await sql.query<{ size: string }>('SELECT size FROM layer_cache')).rows.map((r) =>
      Number(r.size),
    );
    expect(sizes.every((s) => s > 4)).toBe(true);
  });
});
