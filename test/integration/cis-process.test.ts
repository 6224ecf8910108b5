import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCommandLines } from '../../src/kube/apiserver/index.js';

const ETCD = '/usr/bin/etcd';

/** `ps -ef` lines of one process, as an operator would collect them for `strata config`. */
function psLines(pid: number): string {
  return execFileSync('ps', ['-f', '-p', String(pid)], { encoding: 'utf8' });
}

async function waitForPs(pid: number, needle: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const text = psLines(pid);
    if (text.includes(needle)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`process ${pid} did not show ${needle}`);
}

describe.skipIf(!existsSync(ETCD))('CIS checks on a real etcd process command line', () => {
  let dir: string;
  const started: ChildProcess[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-cis-etcd-'));
  });
  afterAll(() => {
    for (const p of started) if (p.exitCode === null) p.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  function startEtcd(name: string, extra: string[]): ChildProcess {
    const child = spawn(
      ETCD,
      [
        '--name',
        name,
        '--data-dir',
        join(dir, name),
        '--listen-client-urls',
        'http://127.0.0.1:0',
        '--advertise-client-urls',
        'http://127.0.0.1:2379',
        '--listen-peer-urls',
        'http://127.0.0.1:0',
        ...extra,
      ],
      { stdio: 'ignore' },
    );
    started.push(child);
    return child;
  }

  it('flags an etcd serving clients without TLS or client certificates (CIS 2.1, 2.2, 2.4, 2.5)', async () => {
    const child = startEtcd('open', []);
    const text = await waitForPs(child.pid as number, '--data-dir');
    const ids = checkCommandLines(text, 'ps.txt').map(
      (f) => `${f.id} ${'setting' in f.evidence ? f.evidence.setting : '-'} ${f.location.resource}`,
    );
    expect(ids.sort()).toEqual(
      [
        'CIS-2.1 --cert-file Process/etcd',
        'CIS-2.1 --key-file Process/etcd',
        'CIS-2.2 --client-cert-auth Process/etcd',
        'CIS-2.4 --peer-cert-file Process/etcd',
        'CIS-2.4 --peer-key-file Process/etcd',
        'CIS-2.5 --peer-client-cert-auth Process/etcd',
      ].sort(),
    );
  });

  it('reads boolean flags of the real command line the way etcd does (--client-cert-auth alone, --auto-tls=false)', async () => {
    const child = startEtcd('flags', [
      '--client-cert-auth',
      '--auto-tls=false',
      '--peer-client-cert-auth=true',
    ]);
    const text = await waitForPs(child.pid as number, '--client-cert-auth');
    const ids = checkCommandLines(text, 'ps.txt').map((f) => f.id);
    expect(ids).not.toContain('CIS-2.2');
    expect(ids).not.toContain('CIS-2.3');
    expect(ids).not.toContain('CIS-2.5');
  });
});
