import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ECOSYSTEMS } from '../../src/vuln/index.js';
import { strata } from '../support/cli.js';
import { writeZip } from '../support/zip.js';

const DSA = fileURLToPath(new URL('../../src/vuln/fixtures/osv/DSA-5532-1.json', import.meta.url));

let dir: string;
let mirror: Server;
let mirrorUrl: string;
const hits: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-download-db-'));
  // the OSV bucket's layout on 127.0.0.1: Debian has DSA-5532-1, every other ecosystem an empty export
  await writeZip(join(dir, 'debian.zip'), { 'record.json': { file: DSA } });
  await writeZip(join(dir, 'empty.zip'), {});
  mirror = createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '');
    hits.push(url);
    const eco = /^\/(.+)\/all\.zip$/.exec(url)?.[1];
    if (!eco || !DEFAULT_ECOSYSTEMS.includes(eco)) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = readFileSync(join(dir, eco === 'Debian' ? 'debian.zip' : 'empty.zip'));
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}`;
  // a Debian 12 root filesystem with the libssl3 that DSA-5532-1 fixes
  const root = join(dir, 'rootfs');
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
  writeFileSync(
    join(root, 'etc/os-release'),
    'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12"\n',
  );
  writeFileSync(
    join(root, 'var/lib/dpkg/status'),
    [
      'Package: libssl3',
      'Status: install ok installed',
      'Architecture: amd64',
      'Source: openssl',
      'Version: 3.0.11-1~deb12u1',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await new Promise((r) => mirror?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('strata fs --download-db', () => {
  it('downloads the database from --db-mirror when none exists, then scans with it', async () => {
    const db = join(dir, 'cache', 'strata.db');
    const run = await strata([
      'fs',
      join(dir, 'rootfs'),
      '--download-db',
      '--db-mirror',
      mirrorUrl,
      '--db',
      db,
      '--format',
      'json',
    ]);
    expect(run.stderr).toContain(`no advisory database at ${db}: downloading it from ${mirrorUrl}`);
    expect(run.code).toBe(0);
    expect(existsSync(db)).toBe(true);
    const result = JSON.parse(run.stdout) as { findings: { id: string }[] };
    expect(result.findings.map((f) => f.id)).toEqual(['DSA-5532-1']);
    expect(hits).toContain('/Debian/all.zip');
  });

  it('leaves an existing database alone (no request to the mirror)', async () => {
    const before = hits.length;
    const db = join(dir, 'cache', 'strata.db');
    const run = await strata([
      'fs',
      join(dir, 'rootfs'),
      '--download-db',
      '--db-mirror',
      mirrorUrl,
      '--db',
      db,
      '--format',
      'json',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('downloading');
    expect(hits.length).toBe(before);
  });

  it('works from STRATA_DOWNLOAD_DB=1 and STRATA_DB_MIRROR, as the flags', async () => {
    const db = join(dir, 'env', 'strata.db');
    const run = await strata(['fs', join(dir, 'rootfs'), '--db', db, '--format', 'json', '-q'], {
      env: { STRATA_DOWNLOAD_DB: '1', STRATA_DB_MIRROR: mirrorUrl },
    });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { findings: { id: string }[] }).findings.map((f) => f.id)).toEqual([
      'DSA-5532-1',
    ]);
  });

  it('without --download-db a missing database is still exit 2 naming the command to run', async () => {
    const run = await strata(['fs', join(dir, 'rootfs'), '--db', join(dir, 'none', 'strata.db')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no advisory database at .*: run "strata db update".*--download-db/);
  });

  it.each([
    [['--download-db', '--offline'], /^strata: --offline: --download-db needs the network/],
    [['--db-mirror', 'http://x'], /^strata: --db-mirror: only used with --download-db/],
    [
      ['--download-db', '--db-mirror', 'ftp://x'],
      /^strata: --db-mirror: "ftp:\/\/x" is not an http\(s\) URL/,
    ],
  ])('%j is a usage error before any work', async (flags, message) => {
    const before = hits.length;
    const run = await strata(['image', 'oci:/nonexistent', '--db', join(dir, 'x', 'strata.db'), ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(hits.length).toBe(before);
  });
});
