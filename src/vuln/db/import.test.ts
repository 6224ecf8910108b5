import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeZip } from '../../../test/support/zip.js';
import { rawZip } from '../../core/testing/raw-zip.js';
import { importOsv } from './import.js';
import { zipRecords } from './sources.js';
import { checkDbFreshness, dbStatus } from './status.js';
import { type AdvisoryDb, openAdvisoryDb } from './store.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/osv/', import.meta.url));
const fixture = (id: string): string => join(FIXTURES, `${id}.json`);
const record = (id: string): Record<string, unknown> => JSON.parse(readFileSync(fixture(id), 'utf8'));

describe('importOsv', () => {
  let dir: string;
  let db: AdvisoryDb;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-import-'));
    db = openAdvisoryDb(join(dir, 'db', 'strata.db'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when given a directory of real records', () => {
    it('imports every record once and indexes it by ecosystem and package', async () => {
      const counts = await importOsv(db, [FIXTURES]);
      expect(counts).toMatchObject({ imported: 12, replaced: 0, skipped: 0, withdrawn: 1, bad: 0 });
      expect(
        db
          .lookup('Debian:12', 'openssl')
          .map((e) => e.advisoryId)
          .sort(),
      ).toEqual(['DSA-5532-1', 'DSA-5764-1']);
      expect(db.lookup('Debian:11', 'openssl').map((e) => e.advisoryId)).toEqual(['DSA-5417-1']);
      expect(db.lookup('PyPI', 'Py').map((e) => e.advisoryId)).toEqual(['PYSEC-2022-42969']);
    });

    it('is idempotent: a second import skips everything and changes nothing', async () => {
      await importOsv(db, [FIXTURES]);
      const before = dbStatus(db);
      const again = await importOsv(db, [FIXTURES]);
      expect(again).toMatchObject({ imported: 0, replaced: 0, skipped: 13, withdrawn: 0, bad: 0 });
      expect(dbStatus(db).ecosystems).toEqual(before.ecosystems);
    });
  });

  describe('when a record changes', () => {
    it('replaces it only with a newer modified time', async () => {
      await importOsv(db, [fixture('DSA-5532-1')]);
      const older = { ...record('DSA-5532-1'), modified: '2020-01-01T00:00:00Z', summary: 'older' };
      writeFileSync(join(dir, 'older.json'), JSON.stringify(older));
      expect(await importOsv(db, [join(dir, 'older.json')])).toMatchObject({ skipped: 1 });
      const newer = { ...record('DSA-5532-1'), modified: '2030-01-01T00:00:00Z', summary: 'newer' };
      writeFileSync(join(dir, 'newer.json'), JSON.stringify(newer));
      expect(await importOsv(db, [join(dir, 'newer.json')])).toMatchObject({ replaced: 1 });
      expect(db.lookup('Debian:12', 'openssl')[0]?.advisory().summary).toBe('newer');
    });

    it('stops matching a record once a newer copy is withdrawn', async () => {
      await importOsv(db, [fixture('DSA-5532-1')]);
      const gone = {
        ...record('DSA-5532-1'),
        modified: '2030-01-01T00:00:00Z',
        withdrawn: '2030-01-01T00:00:00Z',
      };
      writeFileSync(join(dir, 'gone.json'), JSON.stringify(gone));
      expect(await importOsv(db, [join(dir, 'gone.json')])).toMatchObject({ withdrawn: 1 });
      expect(db.lookup('Debian:12', 'openssl')).toEqual([]);
      expect(dbStatus(db)).toMatchObject({ advisories: 0, withdrawn: 1 });
    });

    it('keeps a withdrawn record (GO-2022-0617) out of matching', async () => {
      await importOsv(db, [fixture('GO-2022-0617')]);
      expect(db.lookup('Go', 'k8s.io/kubernetes')).toEqual([]);
    });
  });

  describe('when records are bad', () => {
    it('counts and names each bad record and imports the rest', async () => {
      copyFileSync(fixture('DSA-5532-1'), join(dir, 'good.json'));
      writeFileSync(join(dir, 'truncated.json'), '{"id": "X-1", ');
      writeFileSync(join(dir, 'no-modified.json'), JSON.stringify({ id: 'X-2', affected: [] }));
      const badEvent = record('DSA-5764-1');
      (badEvent.affected as { ranges: unknown[] }[])[0]!.ranges = [
        { type: 'ECOSYSTEM', events: [{ introduced: '0', fixed: '1' }] },
      ];
      writeFileSync(join(dir, 'two-keys.json'), JSON.stringify(badEvent));
      const counts = await importOsv(db, [dir]);
      expect(counts).toMatchObject({ imported: 1, bad: 3 });
      expect(counts.badRecords.map((b) => [b.source.split('/').at(-1), b.message])).toEqual([
        ['no-modified.json', 'modified: expected string, got undefined'],
        ['truncated.json', expect.stringMatching(/^invalid JSON/)],
        [
          'two-keys.json',
          'affected[0].ranges[0].events[0]: must hold exactly one of introduced, fixed, last_affected, limit',
        ],
      ]);
    });

    it('refuses a path that does not exist with a clear error', async () => {
      await expect(importOsv(db, [join(dir, 'missing')])).rejects.toThrow(
        /missing: no such file or directory/,
      );
    });
  });

  describe('when given a zip export', () => {
    it('streams the json entries of the archive, skipping other files', async () => {
      const zipPath = join(dir, 'all.zip');
      await writeZip(zipPath, {
        'DSA-5532-1.json': readFileSync(fixture('DSA-5532-1'), 'utf8'),
        'nested/GO-2026-6090.json': readFileSync(fixture('GO-2026-6090'), 'utf8'),
        'README.txt': 'not a record',
        'broken.json': '[1,2',
      });
      const counts = await importOsv(db, [zipPath]);
      expect(counts).toMatchObject({ imported: 2, bad: 1 });
      expect(counts.badRecords[0]?.source).toBe(`${zipPath}!broken.json`);
      expect(db.lookup('Go', 'stdlib').map((e) => e.advisoryId)).toEqual(['GO-2026-6090']);
    });

    it('imports stored (method 0) records as well as deflated ones', async () => {
      const zipPath = join(dir, 'stored.zip');
      writeFileSync(
        zipPath,
        rawZip([
          { name: 'DSA-5532-1.json', data: readFileSync(fixture('DSA-5532-1')), method: 0 },
          { name: 'GO-2026-6090.json', data: readFileSync(fixture('GO-2026-6090')), method: 8 },
        ]),
      );
      expect(await importOsv(db, [zipPath])).toMatchObject({ imported: 2, bad: 0 });
    });

    it('counts each bad record exactly once, with its reason, and imports the rest', async () => {
      const zipPath = join(dir, 'mixed.zip');
      const good = readFileSync(fixture('DSA-5532-1'));
      writeFileSync(
        zipPath,
        rawZip([
          { name: 'a-good.json', data: good, method: 0 },
          { name: 'b-not-json.json', data: '[1,2', method: 0 },
          { name: 'c-bad-crc.json', data: good, method: 8, crc: 1234 },
          { name: 'd-size-lies-low.json', data: good, method: 8, declaredSize: 100 },
          { name: 'e-size-lies-high.json', data: good, method: 8, declaredSize: good.length + 5 },
          { name: 'f-stored-size-lies.json', data: good, method: 0, declaredSize: 10 },
          { name: 'g-not-osv.json', data: '{"id": 3}', method: 8 },
          { name: 'h-good.json', data: readFileSync(fixture('GO-2026-6090')), method: 8 },
          { name: 'README.txt', data: 'not a record', method: 0 },
        ]),
      );
      const counts = await importOsv(db, [zipPath]);
      expect(counts).toMatchObject({ imported: 2, bad: 6 });
      expect(counts.badRecords.map((b) => [b.source.split('!')[1], b.message])).toEqual([
        ['b-not-json.json', expect.stringMatching(/^invalid JSON/)],
        ['c-bad-crc.json', 'zip entry is corrupt (size or CRC-32 mismatch)'],
        ['d-size-lies-low.json', 'zip entry is corrupt (larger than declared)'],
        ['e-size-lies-high.json', 'zip entry is corrupt (size or CRC-32 mismatch)'],
        ['f-stored-size-lies.json', 'zip entry is corrupt (a stored entry whose two declared sizes differ)'],
        ['g-not-osv.json', expect.stringMatching(/id/)],
      ]);
    });

    it('refuses an archive whose entries overlap (a zip bomb), naming the entry', async () => {
      const zipPath = join(dir, 'bomb.zip');
      const kernel = Buffer.alloc(8 * 1024 * 1024, 0x20);
      const aliases = Array.from({ length: 500 }, (_, i) => ({ name: `r${i}.json`, sameAs: 0 }));
      writeFileSync(zipPath, rawZip([{ name: 'kernel.json', data: kernel }], { aliases }));
      await expect(importOsv(db, [zipPath])).rejects.toThrow(
        `${zipPath}!r0.json: zip entry overlaps another entry (a zip bomb), refusing the archive`,
      );
    });

    it('stops at the archive budget', async () => {
      const zipPath = join(dir, 'big.zip');
      const many = Array.from({ length: 4 }, (_, i) => ({
        name: `r${i}.json`,
        data: Buffer.alloc(1024 * 1024, 0x20),
      }));
      writeFileSync(zipPath, rawZip(many));
      const records = async () => {
        for await (const _ of zipRecords(zipPath, 3 * 1024 * 1024)) {
          // drain
        }
      };
      await expect(records()).rejects.toThrow(
        `${zipPath}!r3.json: the archive inflates to more than 3 MiB (STRATA_MAX_ZIP_BYTES)`,
      );
    });

    it('refuses a file that is not a zip', async () => {
      writeFileSync(join(dir, 'fake.zip'), 'not a zip');
      await expect(importOsv(db, [join(dir, 'fake.zip')])).rejects.toThrow(/not a readable zip archive/);
    });
  });

  describe('freshness for scans', () => {
    it('fails clearly on an empty database', () => {
      expect(() => checkDbFreshness(db)).toThrow(/holds no advisories: run "strata db update"/);
    });
    it('warns when the last refresh is older than 7 days', async () => {
      await importOsv(db, [fixture('DSA-5532-1')]);
      expect(checkDbFreshness(db).warning).toBeUndefined();
      const later = new Date(Date.now() + 8 * 86_400_000);
      expect(checkDbFreshness(db, later).warning).toMatch(/last updated 8 days ago/);
    });
  });

  it('opening a missing database read-only says how to get one', () => {
    expect(() => openAdvisoryDb(join(dir, 'none.db'), { readonly: true })).toThrow(
      /no advisory database at .*strata db update/,
    );
  });
});
