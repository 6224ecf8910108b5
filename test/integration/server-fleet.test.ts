import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { strata } from '../support/cli.js';
import { postgresBin, startPostgres } from '../support/postgres.js';
import { type CliProcess, sleep, startCli, until } from '../support/processes.js';
import { freePort, type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

const DEMO = `oci-archive:${resolve('examples/demo-image.tar')}`;

/**
 * An HTTP proxy to `upstream` that answers each blob request `delayMs` late, so every scan job stays
 * in progress long enough to be caught mid-job (a cached layer makes a scan of the demo image a
 * matter of milliseconds otherwise).
 */
async function slowProxy(upstream: string, delayMs: number): Promise<{ host: string; server: Server }> {
  const [hostname, port] = upstream.split(':');
  const server = createServer((req, res) => {
    const forward = () => {
      const up = request(
        { hostname, port: Number(port), path: req.url, method: req.method, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (req.url?.includes('/blobs/')) setTimeout(forward, delayMs);
    else forward();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const stripTime = (r: unknown) => JSON.parse(JSON.stringify(r).replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"T"'));

describe('strata server and strata worker', () => {
  let registry: RunningRegistry;
  let home: string;
  let env: NodeJS.ProcessEnv;
  const image = () => `${registry.host}/demo:1`;

  beforeAll(async () => {
    registry = await startRegistry();
    await skopeoCopy(DEMO, `docker://${image()}`);
    home = mkdtempSync(join(tmpdir(), 'strata-server-home-'));
    env = { HOME: home, XDG_DATA_HOME: '', STRATA_DB: '', STRATA_DATABASE_URL: '' };
    const db = join(home, '.cache', 'strata', 'db', 'strata.db');
    expect((await strata(['db', 'import', 'data/demo-osv', '--db', db, '--quiet'], { env })).code).toBe(0);
  });
  afterAll(async () => {
    await registry?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('embedded: no arguments, a token, a scan whose result is the CLI JSON', async () => {
    const created = await strata(['server', 'token', 'create', '--scope', 'scan', '--name', 'ci'], { env });
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^strata_[\w-]{43}$/);
    const listed = await strata(['server', 'token', 'list', '--format', 'json'], { env });
    expect(listed.stdout).not.toContain(token);
    const port = await freePort();
    // no flags: the listen address comes from STRATA_LISTEN as any flag may
    const server = startCli(['server'], { ...env, STRATA_LISTEN: `127.0.0.1:${port}` });
    try {
      const base = `http://127.0.0.1:${port}`;
      await until('the server', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined));
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const posted = await fetch(`${base}/api/v1/scans`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ target: image(), insecure: true }),
      });
      expect(posted.status).toBe(202);
      const { id } = (await posted.json()) as { id: string };
      const scan = await until('the scan', async () => {
        const s = (await (await fetch(`${base}/api/v1/scans/${id}`, { headers: auth })).json()) as {
          status: string;
        };
        return s.status === 'done' || s.status === 'failed' ? s : undefined;
      });
      const cli = await strata(['image', image(), '--insecure', '--format', 'json'], { env });
      expect(cli.code).toBe(0);
      expect(scan).toMatchObject({ status: 'done' });
      expect(stripTime((scan as unknown as { result: unknown }).result)).toEqual(
        stripTime(JSON.parse(cli.stdout)),
      );
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/strata_queue_jobs\{status="done"\} 1/);
      expect(server.out()).not.toContain(token);
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    }
    expect(server.child.exitCode).toBe(0);
  });

  describe.skipIf(!postgresBin())('on PostgreSQL with two workers', () => {
    it('a worker killed mid-job: its job is taken again after the lease and every job has one result', async () => {
      const pg = await startPostgres();
      onTestFinished(() => pg.destroy());
      const slow = await slowProxy(registry.host, 1500);
      onTestFinished(() => {
        slow.server.closeAllConnections();
        return new Promise<void>((r) => slow.server.close(() => r()));
      });
      const penv = { ...env, STRATA_DATABASE_URL: pg.url };
      const token = (
        await strata(['server', 'token', 'create', '--scope', 'scan'], { env: penv })
      ).stdout.trim();
      const port = await freePort();
      const server = startCli(
        ['server', '--listen', `127.0.0.1:${port}`, '--concurrency', '1', '--lease', '3'],
        penv,
      );
      const a = startCli(['worker', '--concurrency', '1', '--lease', '3'], penv);
      let b: CliProcess | undefined;
      try {
        const base = `http://127.0.0.1:${port}`;
        await until('the server', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined));
        const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const ids: string[] = [];
        for (let i = 0; i < 6; i++) {
          const r = await fetch(`${base}/api/v1/scans`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ target: `${slow.host}/demo:1`, insecure: true }),
          });
          ids.push(((await r.json()) as { id: string }).id);
        }
        await until('worker a to start a job', async () =>
          a.out().includes('job started') ? true : undefined,
        );
        a.child.kill('SIGKILL');
        await new Promise((r) => a.child.once('exit', r));
        // the job a started and never finished must have been taken again (attempt 2)
        const startedByA = [...a.out().matchAll(/"job":"([\w-]+)","type"/g)].map((m) => m[1]);
        const doneByA = new Set([...a.out().matchAll(/"job":"([\w-]+)","written":true/g)].map((m) => m[1]));
        const killed = startedByA.filter((id) => !doneByA.has(id));
        expect(killed).toHaveLength(1);
        b = startCli(['worker', '--concurrency', '1', '--lease', '3'], penv);
        // PostgreSQL restarted mid-run: the server and the workers reconnect and go on
        pg.stop();
        await sleep(1000);
        pg.start();
        const tail = (p: CliProcess | undefined) => p?.out().slice(-3000) ?? '';
        const scans = await until(
          'every scan',
          async () => {
            const list = (await (
              await fetch(`${base}/api/v1/scans?limit=100`, { headers: auth })
            ).json()) as {
              items: { id: string; status: string; attempts: number }[];
            };
            return list.items.every((s) => s.status === 'done' || s.status === 'failed')
              ? list.items
              : undefined;
          },
          150_000,
        ).catch((err: Error) => {
          // say which process died or stalled: the server's and worker b's last lines
          throw new Error(`${err.message}\n--- server:\n${tail(server)}\n--- worker b:\n${tail(b)}`);
        });
        // neither the server nor worker b died through the restart
        expect(
          [server.child.exitCode, b.child.exitCode],
          `--- server:\n${tail(server)}\n--- worker b:\n${tail(b)}`,
        ).toEqual([null, null]);
        expect(scans.map((s) => s.status)).toEqual(Array(6).fill('done'));
        expect(scans.map((s) => s.id).sort()).toEqual([...ids].sort());
        // attempt 2 after the lease expired (one more if the restart broke an attempt)
        expect(scans.find((s) => s.id === killed[0])?.attempts).toBeGreaterThanOrEqual(2);
      } finally {
        for (const p of [server, a, b]) if (p && p.child.exitCode === null) p.child.kill('SIGTERM');
        await Promise.all(
          [server, b].map((p) =>
            p && p.child.exitCode === null ? new Promise((r) => p.child.once('exit', r)) : 0,
          ),
        );
      }
    }, 200_000);
  });
});
