import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { PostgresStore } from '../../src/server/index.js';
import { strata } from '../support/cli.js';
import { type MirrorEntry, type OsvMirror, startOsvMirror } from '../support/osv-mirror.js';
import { postgresBin, startPostgres } from '../support/postgres.js';
import { type CliProcess, sleep, startCli, stopCli, until } from '../support/processes.js';
import {
  buildImage,
  freePort,
  type RunningRegistry,
  skopeoCopy,
  startRegistry,
} from '../support/registry.js';
import { writeZip } from '../support/zip.js';

const DEMO = `oci-archive:${resolve('examples/demo-image.tar')}`;
const NEW_ADVISORY = 'GHSA-rm7c-h2x5-q3v9';

const stripTime = (r: unknown) => JSON.parse(JSON.stringify(r).replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"T"'));

/** A webhook receiver on 127.0.0.1 that refuses the very first request (500) and takes the rest. */
interface Receiver {
  readonly url: string;
  readonly taken: { key: string; body: Record<string, unknown> }[];
  readonly refused: { key: string }[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const taken: Receiver['taken'] = [];
  const refused: Receiver['refused'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      if (refused.length === 0) {
        refused.push({ key });
        res.writeHead(500).end('receiver down');
        return;
      }
      taken.push({ key, body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    taken,
    refused,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

interface Api {
  get<T = Record<string, unknown>>(path: string): Promise<T>;
  post(path: string, body: unknown): Promise<string>;
}

function api(base: string, token: string): Api {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return {
    async get(path) {
      const r = await fetch(`${base}${path}`, { headers });
      if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
      return (await r.json()) as never;
    },
    async post(path, body) {
      const r = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (r.status !== 202) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { id: string }).id;
    },
  };
}

interface RematchView {
  status: string;
  images: number;
  affected: number;
  changed: number;
  items: { digest: string; target: string; scan?: string; newFindings: { id: string; severity: string }[] }[];
}

const waitRematch = (c: Api, id: string) =>
  until(
    `re-match ${id}`,
    async () => {
      const r = await c.get<RematchView & { error?: string }>(`/api/v1/rematches/${id}`);
      if (r.status === 'failed') throw new Error(`re-match failed: ${r.error}`);
      return r.status === 'done' ? r : undefined;
    },
    180_000,
  );

async function scanAll(
  c: Api,
  targets: readonly string[],
  queued: readonly string[] = [],
): Promise<string[]> {
  const ids: string[] = [...queued];
  for (const target of targets) ids.push(await c.post('/api/v1/scans', { target, insecure: true }));
  for (const id of ids)
    await until(
      `scan ${id}`,
      async () => {
        const s = await c.get<{ status: string; error?: string }>(`/api/v1/scans/${id}`);
        if (s.status === 'failed') throw new Error(`scan failed: ${s.error}`);
        return s.status === 'done' ? s : undefined;
      },
      180_000,
    );
  return ids;
}

describe('advisory updates, re-matching and notifications in fleet mode', () => {
  let registry: RunningRegistry;
  let mirror: OsvMirror;
  let work: string;
  const entries = new Map<string, MirrorEntry>();
  let v1Npm: string;
  let v2Npm: string;
  const images = { demo: '', old: '', fixed: '' };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'strata-rematch-'));
    registry = await startRegistry();
    images.demo = `${registry.host}/demo:1`;
    images.old = `${registry.host}/app-old:1`;
    images.fixed = `${registry.host}/app-fixed:1`;
    await skopeoCopy(DEMO, `docker://${images.demo}`);
    // two small images with the same npm package: one before the fix, one at it
    for (const [name, version] of [
      ['app-old', '1.1.3'],
      ['app-fixed', '1.3.0'],
    ] as const) {
      const layout = join(work, name);
      buildImage(layout, '1', {
        layers: [
          {
            createdBy: `COPY app /app (${name})`,
            files: {
              'app/package.json': JSON.stringify({
                name,
                version: '1.0.0',
                dependencies: { 'left-pad': version },
              }),
              'app/node_modules/left-pad/package.json': JSON.stringify({ name: 'left-pad', version }),
            },
          },
        ],
      });
      await skopeoCopy(`oci:${layout}:1`, `docker://${registry.host}/${name}:1`);
    }
    // the mirror's exports: Debian and npm from the demo advisories; v2 of npm adds the new advisory
    const dir = (eco: string) => resolve('data/demo-osv', eco);
    const files = (eco: string) =>
      Object.fromEntries(readdirSync(dir(eco)).map((f) => [f, { file: join(dir(eco), f) }]));
    const debian = join(work, 'Debian.zip');
    v1Npm = join(work, 'npm-v1.zip');
    v2Npm = join(work, 'npm-v2.zip');
    await writeZip(debian, files('Debian'));
    await writeZip(v1Npm, files('npm'));
    await writeZip(v2Npm, {
      ...files('npm'),
      [`${NEW_ADVISORY}.json`]: { file: resolve(`test/fixtures/rematch/${NEW_ADVISORY}.json`) },
    });
    entries.set('Debian', { zip: debian, etag: '"debian-1"' });
    mirror = await startOsvMirror(entries);
  }, 300_000);

  afterAll(async () => {
    await mirror?.close();
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const dbFlags = () => ['--db-mirror', mirror.url, '--db-ecosystems', 'Debian,npm'];

  /** `strata db update` from the mirror as it is now, then `strata image` with that DB. */
  async function freshScan(target: string, env: NodeJS.ProcessEnv): Promise<unknown> {
    const db = join(mkdtempSync(join(work, 'fresh-')), 'strata.db');
    const up = await strata(
      ['db', 'update', '--mirror', mirror.url, '--ecosystems', 'Debian,npm', '--db', db, '--quiet'],
      { env },
    );
    expect(up.code, up.stderr).toBe(0);
    const cli = await strata(['image', target, '--insecure', '--format', 'json', '--db', db], { env });
    expect(cli.code, cli.stderr).toBe(0);
    return JSON.parse(cli.stdout);
  }

  /** The flow both deployments run: update, scan, publish an advisory, update again, check. */
  async function updateScanRematch(c: Api, env: NodeJS.ProcessEnv, receiver: Receiver) {
    entries.set('npm', { zip: v1Npm, etag: '"npm-1"' });
    const first = await waitRematch(c, await c.post('/api/v1/db/update', {}));
    expect(first).toMatchObject({ images: 0, affected: 0 });
    await scanAll(c, [images.demo, images.old, images.fixed, images.demo, images.old]);
    // nothing has the new advisory yet
    expect((await c.get<{ items: unknown[] }>(`/api/v1/findings?advisory=${NEW_ADVISORY}`)).items).toEqual(
      [],
    );

    // the advisory is published: the next update re-matches the stored inventories, pulling nothing
    entries.set('npm', { zip: v2Npm, etag: '"npm-2"' });
    const id = await c.post('/api/v1/db/update', {});
    const rematch = await waitRematch(c, id);
    expect(rematch).toMatchObject({ images: 3, affected: 1, changed: 1 });
    const affected = rematch.items.filter((i) => i.newFindings.length > 0);
    expect(affected.map((i) => i.target)).toEqual([images.old]);
    expect(affected[0]?.newFindings).toEqual([
      expect.objectContaining({ id: NEW_ADVISORY, severity: 'CRITICAL' }),
    ]);
    const only = await c.get<RematchView>(`/api/v1/rematches/${id}?affected=true`);
    expect(only.items.map((i) => i.target)).toEqual([images.old]);
    // unchanged images get no new result
    for (const i of rematch.items.filter((x) => x.target !== images.old)) expect(i.scan).toBeUndefined();

    // the re-match's result is what a fresh `strata image` with the new DB reports
    const scan = await c.get<{ kind: string; status: string; result: unknown }>(
      `/api/v1/scans/${affected[0]?.scan}`,
    );
    expect(scan).toMatchObject({ kind: 'rematch-image', status: 'done' });
    expect(stripTime(scan.result)).toEqual(stripTime(await freshScan(images.old, env)));
    // and it is what the findings query answers
    const hits = await c.get<{ items: { image: string; scan: string }[] }>(
      `/api/v1/findings?advisory=${NEW_ADVISORY}`,
    );
    expect(hits.items).toEqual([expect.objectContaining({ image: images.old, scan: affected[0]?.scan })]);

    // notifications: the demo image's CRITICALs (first scan) and the new advisory (re-match), once
    // each; the first attempt was refused and retried with the same Idempotency-Key
    const taken = await until('two notifications', async () =>
      receiver.taken.length >= 2 ? receiver.taken : undefined,
    );
    await sleep(1500);
    expect(receiver.taken).toHaveLength(2);
    expect(receiver.refused).toHaveLength(1);
    expect(taken.map((t) => t.key)).toContain(receiver.refused[0]?.key);
    expect(new Set(taken.map((t) => t.key)).size).toBe(2);
    // src/notify's JSON body: the event is `details`
    const events = taken.map((t) => t.body.details as Record<string, unknown>);
    expect(taken.map((t) => t.body.idempotencyKey)).toEqual(taken.map((t) => t.key));
    const byImage = Object.fromEntries(events.map((e) => [String(e.image), e]));
    expect(byImage[images.demo]).toMatchObject({ type: 'findings.new', source: 'scan' });
    expect(((byImage[images.demo]?.findings ?? []) as { id: string }[]).map((f) => f.id).sort()).toEqual([
      'DEBIAN-CVE-2023-45853',
      'aws-access-key-id',
    ]);
    expect(byImage[images.old]).toMatchObject({
      type: 'findings.new',
      source: 'rematch',
      rematch: id,
      scan: affected[0]?.scan,
      findings: [expect.objectContaining({ id: NEW_ADVISORY })],
    });
    const deliveries = await c.get<{ items: { status: string; attempts: number }[] }>(
      '/api/v1/notifications/deliveries',
    );
    expect(deliveries.items.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(deliveries.items.map((d) => d.attempts).sort()).toEqual([1, 2]);
    return { rematch, id };
  }

  it('embedded: an update re-matches the stored images, flags the affected one and notifies once', async () => {
    const home = mkdtempSync(join(work, 'home-'));
    const env = { HOME: home, XDG_DATA_HOME: '', STRATA_DB: '', STRATA_DATABASE_URL: '' };
    const receiver = await startReceiver();
    onTestFinished(() => receiver.close());
    const token = (await strata(['server', 'token', 'create', '--scope', 'admin'], { env })).stdout.trim();
    const port = await freePort();
    const server = startCli(
      [
        'server',
        '--listen',
        `127.0.0.1:${port}`,
        '--db',
        join(home, 'advisories.db'),
        ...dbFlags(),
        '--notify-webhook',
        `json=${receiver.url}`,
        '--notify-retry',
        '300ms',
      ],
      env,
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      await until('the server', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined));
      const c = api(base, token);
      const targets = await c.get<{ items: { url: string; origin: string }[] }>('/api/v1/notifications');
      expect(targets.items).toEqual([expect.objectContaining({ url: receiver.url, origin: 'config' })]);
      await updateScanRematch(c, env, receiver);
      const updates = await c.get<{ items: { version: number }[] }>('/api/v1/db/updates');
      expect(updates.items.map((u) => u.version)).toEqual([2, 1]);
    } finally {
      await stopCli(server);
    }
    expect(server.child.exitCode, server.out()).toBe(0);
  }, 600_000);

  describe.skipIf(!postgresBin())('on PostgreSQL with two workers', () => {
    it('each worker follows the recorded update; the re-match equals a fresh scan', async () => {
      const pg = await startPostgres();
      onTestFinished(() => pg.destroy());
      const home = mkdtempSync(join(work, 'home-pg-'));
      const env = { HOME: home, XDG_DATA_HOME: '', STRATA_DB: '', STRATA_DATABASE_URL: pg.url };
      const receiver = await startReceiver();
      onTestFinished(() => receiver.close());
      const token = (await strata(['server', 'token', 'create', '--scope', 'admin'], { env })).stdout.trim();
      const port = await freePort();
      // every process has its own advisory DB file, as on separate machines
      const dbs = ['server', 'a', 'b'].map((n) => join(home, `${n}.db`));
      const server = startCli(
        [
          'server',
          '--listen',
          `127.0.0.1:${port}`,
          '--concurrency',
          '1',
          '--db',
          dbs[0] as string,
          ...dbFlags(),
          '--notify-webhook',
          `json=${receiver.url}`,
          '--notify-retry',
          '300ms',
        ],
        env,
      );
      const a = startCli(
        ['worker', '--concurrency', '1', '--db', dbs[1] as string, '--notify-retry', '300ms'],
        env,
      );
      const b = startCli(
        ['worker', '--concurrency', '1', '--db', dbs[2] as string, '--notify-retry', '300ms'],
        env,
      );
      try {
        const base = `http://127.0.0.1:${port}`;
        await until('the server', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined));
        const c = api(base, token);
        const { id: update } = await updateScanRematch(c, env, receiver);
        const procs = [server, a, b];
        const ran = (p: CliProcess, job: string) =>
          p
            .out()
            .split('\n')
            .some((l) => l.includes(`"job":"${job}"`) && l.includes('job started'));
        // the process that ran the update has version 2; a worker that did not must refresh before
        // its next job: keep the updater busy-free (frozen when it is a worker) and scan until
        // another process has run a scan
        const updater = procs.findIndex((p) => ran(p, update));
        expect(updater).toBeGreaterThanOrEqual(0);
        if (updater > 0) procs[updater]?.child.kill('SIGSTOP');
        const direct = new PostgresStore(pg.url);
        onTestFinished(() => direct.close());
        const others: number[] = [];
        try {
          for (let batch = 0; batch < 10 && others.length === 0; batch++) {
            // queued in the database, not through the API (which wakes the server's own worker at
            // once): every process finds them at its next poll
            const ids = [randomUUID(), randomUUID(), randomUUID()];
            for (const id of ids)
              await direct.insertJob({
                id,
                type: 'scan-image',
                payload: { target: images.old, insecure: true },
                maxAttempts: 3,
              });
            await scanAll(c, [], ids);
            for (const id of ids) {
              // whichever process takes them, scans after the update have the new advisory
              const s = await c.get<{ result: { findings: { id: string }[] } }>(`/api/v1/scans/${id}`);
              expect(s.result.findings.map((f) => f.id)).toContain(NEW_ADVISORY);
              const by = procs.findIndex((p) => ran(p, id));
              if (by !== updater && by >= 0) others.push(by);
            }
          }
        } finally {
          if (updater > 0) procs[updater]?.child.kill('SIGCONT');
        }
        expect(others.length).toBeGreaterThan(0);
        const version = (db: string) =>
          (JSON.parse(readFileSync(`${db}.fleet.json`, 'utf8')) as { version: number }).version;
        for (const i of new Set([updater, ...others])) expect(version(dbs[i] as string)).toBe(2);
        expect(procs[others[0] as number]?.out()).toContain('advisory DB refreshed');
      } finally {
        await stopCli(server, a, b);
      }
    }, 600_000);
  });
});
