import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpmAnalyzer } from '../../src/analyzers/os/rpm/index.js';
import type { AnalysisResult } from '../../src/analyzers/types.js';

// A real rpm database, written by Debian's rpm (sqlite backend): two packages built with
// rpmbuild and recorded with `rpm -ivh --justdb`, plus a signing key imported with `rpm --import`
// (which rpm stores as a gpg-pubkey pseudo package). Needs: apt-get install -y rpm gnupg.

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
