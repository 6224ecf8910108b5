import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbStatus, openAdvisoryDb, updateDb } from '../../src/vuln/index.js';
import { writeZip } from '../support/zip.js';

const FIXTURES = fileURLToPath(new URL('../../src/vuln/fixtures/osv/', import.meta.url));

function buildZip(path: string, ids: string[]): Promise<void> {
  return writeZip(
    path,
    Object.fromEntries(ids.map((id) => [`${id}.json`, { file: join(FIXTURES, `${id}.json`) }])),
  );
}

/** An export whose every record is broken (what a bad mirror or a bad build serves). */
function buildBadZip(path: string, n: number): Promise<void> {
  const entries: Record<string, string> = {};
  for (let i = 0; i < n; i++) entries[`BAD-${i}.json`] = `{"id": ${i}, "modified": false}`;
  return writeZip(path, entries);
}

interface Hit {
  readonly url: string;
  readonly ifNoneMatch?: string;
  readonly status: number;
}

/** A stand-in for the OSV bucket on 127.0.0.1: serves <Ecosystem>/all.zip with ETags and answers 304. */
function startMirror(files: Map<string, { path: string; etag: string }>, hits: Hit[]): Promise<Server> {
  const server = createServer((req: IncomingMessage, res) => {
    const file = files.get(decodeURIComponent(req.url ?? ''));
    const ifNoneMatch = req.headers['if-none-match'];
    const record = (status: number): void => {
      hits.push({ url: req.url ?? '', ...(ifNoneMatch ? { ifNoneMatch } : {}), status });
    };
    if (!file) {
      record(404);
      res.writeHead(404).end('not found');
      return;
    }
    if (ifNoneMatch === file.etag) {
      record(304);
      res.writeHead(304, { etag: file.etag }).end();
      return;
    }
    record(200);
    const body = readFileSync(file.path);
    res.writeHead(200, {
      'content-type': 'application/zip',
      'content-length': body.length,
      etag: file.etag,
      'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT',
    });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('db update against a local mirror', () => {
  let dir: string;
  let server: Server;
  let mirror: string;
  const hits: Hit[] = [];
  const files = new Map<string, { path: string; etag: string }>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-update-'));
    await buildZip(join(dir, 'debian-v1.zip'), ['DSA-5532-1', 'DSA-5417-1']);
    await buildZip(join(dir, 'debian-v2.zip'), ['DSA-5532-1', 'DSA-5764-1']);
    await buildZip(join(dir, 'go.zip'), ['GO-2026-6090', 'GO-2022-0617']);
    files.set('/Debian/all.zip', { path: join(dir, 'debian-v1.zip'), etag: '"debian-1"' });
    files.set('/Go/all.zip', { path: join(dir, 'go.zip'), etag: '"go-1"' });
    server = await startMirror(files, hits);
    mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const dbPath = (): string => join(dir, 'cache', 'strata.db');

  it('downloads each export, imports it and records its ETag', async () => {
    const progress: string[] = [];
    const result = await updateDb(dbPath(), {
      mirror,
      ecosystems: ['Go', 'Debian'],
      onProgress: (p) => progress.push(p.phase),
    });
    expect(
      result.ecosystems.map((e) => [e.ecosystem, e.notModified, e.counts.imported, e.counts.withdrawn]),
    ).toEqual([
      ['Debian', false, 2, 0],
      ['Go', false, 1, 1],
    ]);
    expect(progress).toContain('download');
    const db = openAdvisoryDb(dbPath(), { readonly: true });
    try {
      const status = dbStatus(db);
      expect(status.ecosystems).toEqual([
        { ecosystem: 'Debian:11', advisories: 1 },
        { ecosystem: 'Debian:12', advisories: 1 },
        { ecosystem: 'Go', advisories: 1 },
      ]);
      expect(status.sources.map((s) => [s.ecosystem, s.etag])).toEqual([
        ['Debian', '"debian-1"'],
        ['Go', '"go-1"'],
      ]);
      expect(status.updatedAt).toBeDefined();
    } finally {
      db.close();
    }
    expect(readdirSync(join(dir, 'cache'))).toEqual(['strata.db']);
  });

  it('sends If-None-Match next time and keeps the database on 304', async () => {
    hits.length = 0;
    const before = statSync(dbPath()).size;
    const result = await updateDb(dbPath(), { mirror, ecosystems: ['Debian', 'Go'] });
    expect(result.ecosystems.every((e) => e.notModified)).toBe(true);
    expect(hits).toEqual([
      { url: '/Debian/all.zip', ifNoneMatch: '"debian-1"', status: 304 },
      { url: '/Go/all.zip', ifNoneMatch: '"go-1"', status: 304 },
    ]);
    expect(statSync(dbPath()).size).toBe(before);
  });

  it('imports a changed export and drops advisories it no longer lists', async () => {
    files.set('/Debian/all.zip', { path: join(dir, 'debian-v2.zip'), etag: '"debian-2"' });
    const result = await updateDb(dbPath(), { mirror, ecosystems: ['Debian'] });
    expect(result.ecosystems[0]).toMatchObject({ notModified: false, removed: 1 });
    expect(result.ecosystems[0]?.counts).toMatchObject({ imported: 1, skipped: 1 });
    const db = openAdvisoryDb(dbPath(), { readonly: true });
    try {
      expect(db.lookup('Debian:11', 'openssl')).toEqual([]);
      expect(
        db
          .lookup('Debian:12', 'openssl')
          .map((e) => e.advisoryId)
          .sort(),
      ).toEqual(['DSA-5532-1', 'DSA-5764-1']);
    } finally {
      db.close();
    }
  });

  it('fails with a clear error for a missing export and leaves the database untouched', async () => {
    const before = readFileSync(dbPath());
    await expect(updateDb(dbPath(), { mirror, ecosystems: ['npm'] })).rejects.toThrow(
      /GET http:\/\/127\.0\.0\.1:\d+\/npm\/all\.zip: HTTP 404/,
    );
    expect(readFileSync(dbPath()).equals(before)).toBe(true);
    expect(readdirSync(join(dir, 'cache'))).toEqual(['strata.db']);
  });

  it('says clearly when the mirror cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(
      updateDb(dbPath(), { mirror: `http://127.0.0.1:${port}`, ecosystems: ['Go'] }),
    ).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:\d+\/Go\/all\.zip \(ECONNREFUSED\): offline\?/);
  });

  it('refuses to touch the network with offline set', async () => {
    await expect(updateDb(join(dir, 'other.db'), { mirror, offline: true })).rejects.toThrow(/--offline/);
    expect(existsSync(join(dir, 'other.db'))).toBe(false);
  });

  it('never replaces a good database with a worse one: an all-bad export is refused, the database kept', async () => {
    const before = readFileSync(dbPath());
    const advisories = (): number => {
      const db = openAdvisoryDb(dbPath(), { readonly: true });
      try {
        return dbStatus(db).advisories;
      } finally {
        db.close();
      }
    };
    const count = advisories();
    expect(count).toBeGreaterThan(0);
    await buildBadZip(join(dir, 'debian-bad.zip'), 5);
    files.set('/Debian/all.zip', { path: join(dir, 'debian-bad.zip'), etag: '"debian-bad"' });
    await expect(updateDb(dbPath(), { mirror, ecosystems: ['Debian'] })).rejects.toMatchObject({
      code: 'EXPORT_REJECTED',
      message: expect.stringMatching(
        /^Debian: refused the export from http:\/\/127\.0\.0\.1:\d+\/Debian\/all\.zip: no valid record in the export, 5 bad .*; the database was not changed$/,
      ),
    });
    expect(readFileSync(dbPath()).equals(before)).toBe(true);
    expect(advisories()).toBe(count);
    expect(readdirSync(join(dir, 'cache'))).toEqual(['strata.db']);
  });
});
