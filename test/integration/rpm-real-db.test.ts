import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpmAnalyzer } from '../../src/analyzers/os/rpm/index.js';
import type { AnalysisResult } from '../../src/analyzers/types.js';

// A real rpm database, written by Debian's rpm (sqlite backend): two packages built with
// rpmbuild and recorded with `rpm -ivh --justdb`, plus a signing key imported with `rpm --import`
// (which rpm stores as a gpg-pubkey pseudo package). Its header blobs are then written into
// BerkeleyDB hash `Packages` files by Berkeley DB's own db_load, in both byte orders and with
// small and large pages, and read back by rpm's bdb_ro backend as the reference.
// Needs: apt-get install -y rpm gnupg db5.3-util.

const SPECS = {
  hello: `Name: strata-hello
Epoch: 3
Version: 1.2.3
Release: 4.test
Summary: Strata test package with an epoch
License: MIT AND Apache-2.0
Vendor: Strata Tests
BuildArch: noarch
%description
A package for the rpm analyzer's integration test.
%files
`,
  bye: `Name: strata-bye
Version: 0.9~rc1
Release: 1
Summary: Strata test package without epoch or vendor
License: BSD-3-Clause
BuildArch: noarch
%description
A package for the rpm analyzer's integration test.
%files
`,
};

function run(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`${command} ${args.join(' ')} failed (is Debian's rpm installed?): ${stderr}`, {
      cause: err,
    });
  }
}

describe('rpm analyzer on a database written by rpm itself', () => {
  let dir: string;
  let dbPath: string;
  let result: AnalysisResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-rpm-'));
    dbPath = join(dir, 'db');
    const gpgHome = join(dir, 'gnupg');
    mkdirSync(gpgHome, { mode: 0o700 });
    run('rpm', ['--initdb', '--dbpath', dbPath]);
    for (const [name, spec] of Object.entries(SPECS)) {
      writeFileSync(join(dir, `${name}.spec`), spec);
      run('rpmbuild', [
        '-bb',
        '--quiet',
        '--define',
        `_topdir ${join(dir, 'top')}`,
        join(dir, `${name}.spec`),
      ]);
    }
    const rpmDir = join(dir, 'top', 'RPMS', 'noarch');
    for (const file of readdirSync(rpmDir)) {
      run('rpm', ['-ivh', '--dbpath', dbPath, '--nodeps', '--justdb', join(rpmDir, file)]);
    }
    try {
      const uid = 'Strata Test <test@example.invalid>';
      run('gpg', [
        '--batch',
        '--homedir',
        gpgHome,
        '--passphrase',
        '',
        '--quick-gen-key',
        uid,
        'rsa2048',
        'sign',
        'never',
      ]);
      writeFileSync(join(dir, 'key.asc'), run('gpg', ['--homedir', gpgHome, '--armor', '--export']));
    } finally {
      run('gpgconf', ['--homedir', gpgHome, '--kill', 'all']);
    }
    run('rpm', ['--import', '--dbpath', dbPath, join(dir, 'key.asc')]);

    const content = readFileSync(join(dbPath, 'rpmdb.sqlite'));
    const meta = { path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', size: content.length, mode: 0o100644 };
    result = await rpmAnalyzer.analyze({ meta, content }, new AbortController().signal);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the key as a gpg-pubkey package, which the analyzer skips', () => {
    const names = run('rpm', ['-qa', '--dbpath', dbPath, '--qf', '%{NAME}\\n']).trim().split('\n').sort();
    expect(names).toEqual(['gpg-pubkey', 'strata-bye', 'strata-hello']);
    expect(result.errors).toBeUndefined();
    expect(result.packages?.map((p) => p.name)).toEqual(['strata-bye', 'strata-hello']);
  });

  it('reads name, epoch:version-release, arch, source, license and vendor', () => {
    expect(result.packages).toEqual([
      {
        type: 'rpm',
        name: 'strata-bye',
        version: '0.9~rc1-1',
        arch: 'noarch',
        source: { name: 'strata-bye', version: '0.9~rc1-1' },
        licenses: ['BSD-3-Clause'],
        path: 'usr/lib/sysimage/rpm/rpmdb.sqlite',
        extra: { version: '0.9~rc1', release: '1', sourceRpm: 'strata-bye-0.9~rc1-1.src.rpm' },
      },
      {
        type: 'rpm',
        name: 'strata-hello',
        version: '3:1.2.3-4.test',
        epoch: 3,
        arch: 'noarch',
        source: { name: 'strata-hello', version: '3:1.2.3-4.test' },
        licenses: ['MIT AND Apache-2.0'],
        vendor: 'Strata Tests',
        path: 'usr/lib/sysimage/rpm/rpmdb.sqlite',
        extra: { version: '1.2.3', release: '4.test', sourceRpm: 'strata-hello-1.2.3-4.test.src.rpm' },
      },
    ]);
  });

  it('agrees with rpm -q on every package it reports', () => {
    const query = '%{NAME}|%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}|%{ARCH}|%{SOURCERPM}\\n';
    const rows = run('rpm', ['-qa', '--dbpath', dbPath, '--qf', query]).trim().split('\n');
    const fromRpm = rows.filter((row) => !row.startsWith('gpg-pubkey|')).sort();
    const fromStrata = (result.packages ?? []).map(
      (p) => `${p.name}|${p.version}|${p.arch}|${p.extra?.sourceRpm}`,
    );
    expect(fromStrata).toEqual(fromRpm);
  });
});

/** Berkeley DB's dump format (bytevalue): rpm's key 0 record, then one instance key per header. */
function dumpFile(blobs: readonly { hnum: number; blob: Buffer }[], littleEndian: boolean): string {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    if (littleEndian) b.writeUInt32LE(n);
    else b.writeUInt32BE(n);
    return b.toString('hex');
  };
  const lines = [
    'VERSION=3',
    'format=bytevalue',
    'type=hash',
    'HEADER=END',
    ` ${u32(0)}`,
    ` ${u32(blobs.length + 1)}`,
  ];
  for (const { hnum, blob } of blobs) lines.push(` ${u32(hnum)}`, ` ${blob.toString('hex')}`);
  return `${lines.concat('DATA=END').join('\n')}\n`;
}

describe('rpm analyzer on BerkeleyDB files written by Berkeley DB itself', () => {
  let dir: string;
  let blobs: { hnum: number; blob: Buffer }[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-rpm-bdb-'));
    const dbPath = join(dir, 'sqlite');
    run('rpm', ['--initdb', '--dbpath', dbPath]);
    writeFileSync(join(dir, 'hello.spec'), SPECS.hello);
    run('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${join(dir, 'top')}`, join(dir, 'hello.spec')]);
    const rpmDir = join(dir, 'top', 'RPMS', 'noarch');
    for (const file of readdirSync(rpmDir)) {
      run('rpm', ['-ivh', '--dbpath', dbPath, '--nodeps', '--justdb', join(rpmDir, file)]);
    }
    const db = new Database(join(dbPath, 'rpmdb.sqlite'), { readonly: true });
    try {
      blobs = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').all() as typeof blobs;
    } finally {
      db.close();
    }
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['little-endian', 512],
    ['big-endian', 512],
    ['little-endian', 65536],
    ['big-endian', 65536],
  ])('reads a %s database with %i-byte pages as rpm does', async (order, pageSize) => {
    const littleEndian = order === 'little-endian';
    const bdbPath = join(dir, `${order}-${pageSize}`);
    mkdirSync(bdbPath);
    writeFileSync(join(bdbPath, 'dump.txt'), dumpFile(blobs, littleEndian));
    const lorder = littleEndian ? '1234' : '4321';
    const file = join(bdbPath, 'Packages');
    run('db5.3_load', [
      '-f',
      join(bdbPath, 'dump.txt'),
      '-c',
      `db_pagesize=${pageSize}`,
      '-c',
      `db_lorder=${lorder}`,
      file,
    ]);

    const query = '%{NAME}|%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}|%{ARCH}\\n';
    const fromRpm = run('rpm', ['--dbpath', bdbPath, '--define', '_db_backend bdb_ro', '-qa', '--qf', query])
      .trim()
      .split('\n')
      .filter((row) => !row.startsWith('gpg-pubkey|'));
    const content = readFileSync(file);
    const result = await rpmAnalyzer.analyze(
      { meta: { path: 'var/lib/rpm/Packages', size: content.length, mode: 0o100644 }, content },
      new AbortController().signal,
    );
    expect(result.errors).toBeUndefined();
    expect(fromRpm).toEqual(['strata-hello|3:1.2.3-4.test|noarch']);
    expect(result.packages?.map((p) => `${p.name}|${p.version}|${p.arch}`)).toEqual(fromRpm);
  });
});
