import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ECOSYSTEMS, dbStatus, openAdvisoryDb, updateDb } from '../../src/vuln/index.js';
import { strata } from '../support/cli.js';
import { type MirrorEntry, type OsvMirror, startOsvMirror } from '../support/osv-mirror.js';
import { writeZip } from '../support/zip.js';

const OSV = fileURLToPath(new URL('../../src/vuln/fixtures/osv/', import.meta.url));
const record = (id: string) => ({ [`${id}.json`]: { file: join(OSV, `${id}.json`) } });

let dir: string;
const zips: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-partial-'));
  for (const [name, entries] of Object.entries({
    debian: record('DSA-5532-1'),
    ubuntu: record('USN-7278-1'),
    go: record('GO-2026-6090'),
    empty: {},
  })) {
    zips[name] = join(dir, `${name}.zip`);
    await writeZip(zips[name]!, entries);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const serve = (entries: Record<string, MirrorEntry>) => startOsvMirror(new Map(Object.entries(entries)));
const fast = { retry: { sleep: async () => undefined } };

describe('db update from a mirror that lacks some exports', () => {
  let mirror: OsvMirror;
  afterAll(() => mirror?.close());

  it('imports the others, names the missing ones, and records which are present', async () => {
    mirror = await serve({
      Debian: { zip: zips.debian! },
      Go: { zip: zips.go! },
      Ubuntu: { zip: zips.ubuntu! },
      SUSE: { status: 503 },
    });
    const path = join(dir, 'a', 'strata.db');
    const result = await updateDb(path, {
      mirror: mirror.url,
      ecosystems: ['Debian', 'Go', 'Rocky Linux', 'SUSE', 'Ubuntu'],
      http: fast,
    });
    expect(result.ecosystems.map((e) => [e.ecosystem, e.counts.imported])).toEqual([
      ['Debian', 1],
      ['Go', 1],
      ['Ubuntu', 1],
    ]);
    expect(result.missing).toEqual([
      {
        ecosystem: 'Rocky Linux',
        url: `${mirror.url}/Rocky%20Linux/all.zip`,
        reason: `GET ${mirror.url}/Rocky%20Linux/all.zip: HTTP 404 (not found)`,
        optional: false,
      },
      expect.objectContaining({
        ecosystem: 'SUSE',
        reason: expect.stringMatching(/SUSE\/all\.zip: HTTP 503/),
      }),
    ]);
    expect(result.present).toEqual(['Debian', 'Go', 'Ubuntu']);
    const db = openAdvisoryDb(path, { readonly: true });
    try {
      const status = dbStatus(db);
      expect(status.advisories).toBe(3);
      expect(status.sources.find((s) => s.ecosystem === 'Rocky Linux')).toMatchObject({
        missing: expect.stringMatching(/HTTP 404/),
      });
      expect(status.sources.find((s) => s.ecosystem === 'Debian')).not.toHaveProperty('missing');
    } finally {
      db.close();
    }
  });

  it('keeps what an earlier update imported for an export that has gone missing since', async () => {
    await mirror.close();
    const path = join(dir, 'b', 'strata.db');
    mirror = await serve({ Debian: { zip: zips.debian! }, Go: { zip: zips.go! } });
    await updateDb(path, { mirror: mirror.url, ecosystems: ['Debian', 'Go'] });
    await mirror.close();
    mirror = await serve({ Debian: { zip: zips.debian! } });
    const result = await updateDb(path, { mirror: mirror.url, ecosystems: ['Debian', 'Go'] });
    expect(result.missing).toEqual([
      expect.objectContaining({ ecosystem: 'Go', keptFrom: expect.stringMatching(/^\d{4}-/) }),
    ]);
    expect(result.present).toEqual(['Debian', 'Go']);
    const db = openAdvisoryDb(path, { readonly: true });
    try {
      expect(db.lookup('Go', 'stdlib').map((e) => e.advisoryId)).toEqual(['GO-2026-6090']);
    } finally {
      db.close();
    }
  });
});

describe('strata db update (the command, default ecosystems)', () => {
  let mirror: OsvMirror;
  beforeAll(async () => {
    // the bucket as it may be: everything but SUSE (and Photon OS, whose feed is unofficial)
    const entries: Record<string, MirrorEntry> = {};
    for (const e of DEFAULT_ECOSYSTEMS) entries[e] = { zip: e === 'Debian' ? zips.debian! : zips.empty! };
    delete entries.SUSE;
    delete entries['Photon OS'];
    mirror = await serve(entries);
  });
  afterAll(() => mirror.close());

  it('warns naming the missing export, imports the rest, exit 0', async () => {
    const db = join(dir, 'cli', 'strata.db');
    const r = await strata(['db', 'update', '--mirror', mirror.url, '--db', db, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `strata: note: Photon OS: not published by this source (GET ${mirror.url}/Photon%20OS/all.zip: HTTP 404 (not found))`,
      `strata: warning: SUSE: no export imported (GET ${mirror.url}/SUSE/all.zip: HTTP 404 (not found)); its packages will not be checked`,
    ]);
    const n = DEFAULT_ECOSYSTEMS.length - 1;
    expect(r.stdout).toBe(`${db}: ${n - 1} of ${n} ecosystems updated, missing: SUSE\n`);
    const status = await strata(['db', 'status', '--db', db, '--format', 'json']);
    const sources = JSON.parse(status.stdout).sources as { ecosystem: string; missing?: string }[];
    expect(sources.filter((s) => s.missing).map((s) => s.ecosystem)).toEqual(['Photon OS', 'SUSE']);
    expect(sources.filter((s) => !s.missing)).toHaveLength(DEFAULT_ECOSYSTEMS.length - 2);
  });

  it('is an error (exit 2), never "success, 0 advisories", when no export could be downloaded', async () => {
    const db = join(dir, 'none', 'strata.db');
    const r = await strata([
      'db',
      'update',
      '--mirror',
      mirror.url,
      '--db',
      db,
      '--ecosystems',
      'SUSE,Photon OS',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(
      new RegExp(
        `no advisory export could be downloaded from ${mirror.url.replace(/\./g, '\\.')} \\(2 ecosystems; first: GET .*/Photon%20OS/all\\.zip: HTTP 404 \\(not found\\)\\); the database was not changed`,
      ),
    );
    expect(r.stdout).toBe('');
    expect(existsSync(db)).toBe(false);
  });

  it('--download-db on a scan: the same warning, then the scan runs with what was imported', async () => {
    const root = join(dir, 'rootfs');
    mkdirSync(join(root, 'etc'), { recursive: true });
    mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
    writeFileSync(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
    writeFileSync(
      join(root, 'var/lib/dpkg/status'),
      'Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u1\n\n',
    );
    const db = join(dir, 'scan', 'strata.db');
    const r = await strata([
      'fs',
      root,
      '--download-db',
      '--db-mirror',
      mirror.url,
      '--db',
      db,
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `strata: warning: SUSE: no export imported (GET ${mirror.url}/SUSE/all.zip: HTTP 404 (not found)); its packages will not be checked`,
    );
    expect((JSON.parse(r.stdout) as { findings: { id: string }[] }).findings.map((f) => f.id)).toEqual([
      'DSA-5532-1',
    ]);
  });
});
