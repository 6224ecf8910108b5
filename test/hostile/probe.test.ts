import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanEnd, expectInputError, strataHostile } from '../support/hostile.js';

/**
 * Issue 12, the probe never touches what is not ours: every public spelling is refused before
 * the first connection (a local listener named first proves nothing was sent), and an endpoint
 * that could not be probed is an error, never a clean "no exposure". Only 127.0.0.1 is contacted.
 */
interface Listener {
  readonly port: number;
  connections: number;
  readonly server: Server;
  readonly sockets: Set<Socket>;
}

/** A TCP listener that counts connections and never answers (a filtered or hung service). */
async function silentListener(): Promise<Listener> {
  const sockets = new Set<Socket>();
  const l = { connections: 0, sockets } as {
    port: number;
    connections: number;
    server: Server;
    sockets: Set<Socket>;
  };
  l.server = createServer((s) => {
    l.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => l.server.listen(0, '127.0.0.1', resolve));
  l.port = (l.server.address() as { port: number }).port;
  return l;
}

/** A port on 127.0.0.1 nobody listens on (refuses connections). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

let witness: Listener;
beforeAll(async () => {
  witness = await silentListener();
});
afterAll(async () => {
  for (const s of witness.sockets) s.destroy();
  await new Promise((resolve) => witness.server.close(resolve));
});

const PUBLIC_FORMS = [
  '8.8.8.8:443',
  '[2001:4860:4860::8888]:443',
  '[::ffff:8.8.8.8]:443',
  '[::ffff:808:808]:443',
  '134744072:443',
  '0x8080808:443',
  '010.010.010.010:443',
  '8.8.2056:443',
  '172.32.0.1:443',
];

describe('strata probe refuses public targets before sending anything', () => {
  it.each(PUBLIC_FORMS)('%s: exit 2, one line naming it, no connection made', async (target) => {
    const before = witness.connections;
    const r = await strataHostile(['probe', `127.0.0.1:${witness.port}`, target, '--timeout', '500'], {
      timeoutMs: 20_000,
    });
    expectInputError(r, /not a loopback, private or link-local address; nothing was sent/);
    const host = target.replace(/^\[|\]?:\d+$/g, '');
    expect(r.stderr).toContain(host);
    // the witness proves nothing was sent; strataHostile's timeout is the hang guard (a wall-clock
    // bound here failed on a loaded CI machine without saying anything about connections)
    expect(witness.connections).toBe(before);
  });

  it('refuses 254 public hosts listed one by one', async () => {
    const before = witness.connections;
    const hosts = Array.from({ length: 254 }, (_, i) => `198.51.100.${i + 1}:443`);
    const r = await strataHostile(['probe', `127.0.0.1:${witness.port}`, ...hosts], { timeoutMs: 20_000 });
    expectInputError(r, /198\.51\.100\.1:443 is not a loopback, private or link-local address/);
    expect(witness.connections).toBe(before);
  });

  it('refuses a public CIDR', async () => {
    const r = await strataHostile(['probe', '8.8.8.0/30'], { timeoutMs: 20_000 });
    expectInputError(r, /"8\.8\.8\.0\/30" is not inside a private, loopback or link-local network/);
  });

  it('caps --allow-public at 16 public addresses, still before any connection', async () => {
    const before = witness.connections;
    const hosts = Array.from({ length: 17 }, (_, i) => `198.51.100.${i + 1}:443`);
    const r = await strataHostile(['probe', '--allow-public', `127.0.0.1:${witness.port}`, ...hosts], {
      timeoutMs: 20_000,
    });
    expectInputError(r, /17 public addresses; --allow-public probes at most 16/);
    expect(witness.connections).toBe(before);
  });
});

describe('strata probe says what it could not probe', () => {
  it('exits 2 when no endpoint answered at all, and lists each in errors[]', async () => {
    const r = await strataHostile(
      ['probe', `127.0.0.1:${witness.port}`, '--timeout', '300', '-f', 'json', '-q'],
      { timeoutMs: 20_000 },
    );
    expectInputError(
      r,
      new RegExp(`none of the 1 endpoints could be probed \\(127\\.0\\.0\\.1:${witness.port}`),
    );
    const result = JSON.parse(r.stdout) as {
      findings: unknown[];
      errors: { path: string; message: string }[];
    };
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([
      { analyzer: 'probe', path: `127.0.0.1:${witness.port}`, message: 'not probed: no answer in 300 ms' },
    ]);
  });

  it('reports a partial failure in errors[] and exits 0 when another endpoint answered', async () => {
    const closed = await closedPort();
    const r = await strataHostile(
      [
        'probe',
        `[::ffff:127.0.0.1]:${witness.port}`,
        `2130706433:${closed}`,
        '--timeout',
        '300',
        '-f',
        'json',
        '-q',
      ],
      { timeoutMs: 20_000 },
    );
    expectCleanEnd(r, [0]);
    const result = JSON.parse(r.stdout) as { errors: { path: string; message: string }[] };
    expect(result.errors.map((e) => e.path)).toEqual([`[::ffff:127.0.0.1]:${witness.port}`]);
    // the refused port answered (it is closed): probed, so not an error
  });
});
