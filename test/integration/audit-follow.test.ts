import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../../src/audit/testing/events.js';
import { CLI } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-audit-follow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An exec into pod `name`: one alert of the built-in rules per event. */
const execLine = (name: string) =>
  `${JSON.stringify(auditEvent({ verb: 'create', subresource: 'exec', name, code: 101, uri: `/api/v1/namespaces/default/pods/${name}/exec?command=sh` }))}\n`;

interface Follower {
  readonly child: ChildProcess;
  out(): string;
  err(): string;
  /** waits until `n` JSON lines are on stdout */
  lines(n: number): Promise<Array<Record<string, never>>>;
  exit(): Promise<number | null>;
}

function startFollow(log: string, extra: readonly string[] = []): Follower {
  const child = spawn(process.execPath, [CLI, 'audit', log, '--follow', '-f', 'json', ...extra], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const parsed = () =>
    out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, never>);
  return {
    child,
    out: () => out,
    err: () => err,
    exit: () => exited,
    lines: async (n) => {
      const deadline = Date.now() + 20_000;
      while (parsed().length < n) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`expected ${n} findings, got: ${out}\nstderr: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return parsed();
    },
  };
}

const pods = (findings: Array<Record<string, never>>) =>
  findings.map((f) => (f as unknown as { location: { resource: string } }).location.resource);

describe('strata audit --follow', () => {
  it('survives a rotation: every event detected exactly once, then SIGTERM exits 0', async () => {
    const log = join(dir, 'audit.log');
    writeFileSync(log, execLine('a1') + execLine('a2'));
    const f = startFollow(log);
    expect(pods(await f.lines(2))).toEqual(['pods/default/a1', 'pods/default/a2']);
    // a line written in two parts is read once it is whole
    const half = execLine('a3');
    appendFileSync(log, half.slice(0, 40));
    await new Promise((r) => setTimeout(r, 400));
    appendFileSync(log, half.slice(40));
    await f.lines(3);
    // rotation: the writer still appends to the renamed file before opening the new one
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, execLine('a4'));
    writeFileSync(log, execLine('b1'));
    appendFileSync(log, execLine('b2'));
    const all = await f.lines(6);
    expect(pods(all)).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2'].map((p) => `pods/default/${p}`));
    // more lines to the new file, and a second rotation with a last line without its newline
    appendFileSync(log, execLine('b3').trimEnd());
    renameSync(log, `${log}.2`);
    writeFileSync(log, execLine('c1'));
    const after = await f.lines(8);
    expect(pods(after).slice(6)).toEqual(['pods/default/b3', 'pods/default/c1']);
    f.child.kill('SIGTERM');
    expect(await f.exit()).toBe(0);
    expect(pods(JSON.parse(`[${f.out().trim().split('\n').join(',')}]`))).toHaveLength(8);
    const ids = after.map((x) => (x as unknown as { evidence: { auditID: string } }).evidence.auditID);
    expect(new Set(ids).size).toBe(8);
    expect(f.err()).toContain('was rotated');
  }, 60_000);

  it('SIGINT with --exit-code: the gate decides the exit code; a bad appended line exits 2 naming it', async () => {
    const log = join(dir, 'gate.log');
    writeFileSync(log, execLine('g1'));
    const f = startFollow(log, ['--exit-code', '5']);
    await f.lines(1);
    f.child.kill('SIGINT');
    expect(await f.exit()).toBe(5);

    const bad = join(dir, 'bad.log');
    writeFileSync(bad, execLine('x1'));
    const g = startFollow(bad);
    await g.lines(1);
    appendFileSync(bad, '{"kind":"Pod"}\n');
    expect(await g.exit()).toBe(2);
    expect(g.err()).toMatch(/bad\.log:2: not an audit\.k8s\.io\/v1 Event/);
  }, 60_000);
});
