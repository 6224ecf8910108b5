import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildBdb } from './fixtures/bdb-builder.js';
import { packageHeader, str } from './fixtures/header-builder.js';
import { toBigEndianBdb } from './fixtures/mutate.js';
import { analyzeBytes, fixture } from './fixtures/support.js';

const NDB = 'ndb-sle15-bci/Packages.db';
const BDB = 'bdb-libuuid/Packages';
const SLOT = (i: number) => 16 * i;

function sqliteWith(setup: (db: Database.Database) => void): Buffer {
  const db = new Database(':memory:');
  try {
    setup(db);
    return db.serialize();
  } finally {
    db.close();
  }
}

describe('rpm analyzer on damaged databases', () => {
  describe('sqlite', () => {
    it('reports a truncated file', async () => {
      const result = await analyzeBytes(fixture('sqlite-cbl-mariner/rpmdb.sqlite').subarray(0, 100_000));
      expect(result.packages).toEqual([]);
      expect(result.errors).toEqual(['rpm sqlite database: database disk image is malformed']);
    });

    it('reports a database without a Packages table', async () => {
      const content = sqliteWith((db) => db.exec('CREATE TABLE Other (x)'));
      expect((await analyzeBytes(content)).errors).toEqual(['rpm sqlite database: no Packages table']);
    });

    it('keeps the good headers and names the bad one', async () => {
      const content = sqliteWith((db) => {
        db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
        const insert = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
        insert.run(packageHeader({ NAME: str('zlib'), VERSION: str('1.2.11'), RELEASE: str('5') }));
        insert.run(Buffer.from('not a header'));
        insert.run(
          packageHeader({ NAME: str('gpg-pubkey'), VERSION: str('3135ce90'), RELEASE: str('5e6fda74') }),
        );
        insert.run('text, not bytes');
      });
      const result = await analyzeBytes(content);
      expect(result.packages?.map((p) => `${p.name}-${p.version}`)).toEqual(['zlib-1.2.11-5']);
      expect(result.errors).toEqual([
        'rpm sqlite database, hnum 2: rpm header: index entry count 1852797984 is out of range',
        'rpm sqlite database, hnum 4: the blob column does not hold bytes',
      ]);
    });
  });

  describe('BerkeleyDB', () => {
    it('reads a big-endian database like a little-endian one', async () => {
      const little = await analyzeBytes(fixture(BDB));
      const big = await analyzeBytes(toBigEndianBdb(fixture(BDB)));
      expect(big.errors).toBeUndefined();
      expect(big.packages).toEqual(little.packages);
      expect(big.packages).toHaveLength(1);
    });

    it('reads values stored inline on the hash page and values in overflow chains', async () => {
      const small = packageHeader({ NAME: str('tiny'), VERSION: str('1'), RELEASE: str('1') });
      const large = packageHeader({
        NAME: str('big'),
        VERSION: str('2'),
        RELEASE: str('3'),
        LICENSE: str('x'.repeat(3000)),
      });
      expect(small.length).toBeLessThan(512 / 4);
      const result = await analyzeBytes(
        buildBdb([
          { instance: 1, blob: small },
          { instance: 2, blob: large },
        ]),
      );
      expect(result.errors).toBeUndefined();
      expect(result.packages?.map((p) => [p.name, p.version, p.licenses?.[0]?.length])).toEqual([
        ['big', '2-3', 3000],
        ['tiny', '1-1', undefined],
      ]);
    });

    it('reports an item offset past the end of the page', async () => {
      const header = packageHeader({ NAME: str('tiny'), VERSION: str('1'), RELEASE: str('1') });
      const content = buildBdb([{ instance: 1, blob: header }]);
      content.writeUInt16LE(600, 512 + 26); // the key of a 512-byte page starts at 600
      expect((await analyzeBytes(content)).errors).toEqual([
        'rpm BerkeleyDB database, page 1: item 0 lies outside the page',
      ]);
    });

    it('reports a value item type rpm never writes (duplicates) and goes on', async () => {
      const header = packageHeader({ NAME: str('tiny'), VERSION: str('1'), RELEASE: str('1') });
      const content = buildBdb([
        { instance: 7, blob: header, valueType: 2 },
        { instance: 8, blob: header },
      ]);
      const result = await analyzeBytes(content);
      expect(result.packages).toHaveLength(1);
      expect(result.errors).toEqual([
        'rpm BerkeleyDB database, header instance 7 (page 1): value item type 2 is not supported',
      ]);
    });

    it('reports a truncated file and the overflow chain it cuts', async () => {
      const result = await analyzeBytes(fixture(BDB).subarray(0, 10 * 4096 + 100));
      expect(result.packages).toEqual([]);
      expect(result.errors).toEqual([
        'rpm BerkeleyDB database: truncated: the metadata declares 23 pages of 4096 bytes, the file holds 10',
        'rpm BerkeleyDB database, header instance 1 (page 2): off-page item declares 80880 bytes, more than the file',
      ]);
    });

    it('stops at an overflow chain that loops', async () => {
      const content = Buffer.from(fixture(BDB));
      content.writeUInt32LE(5, 8 * 4096 + 16); // page 8's next page -> page 5
      const result = await analyzeBytes(content);
      expect(result.errors).toEqual([
        'rpm BerkeleyDB database, header instance 1 (page 2): overflow chain from page 3 loops back to page 5',
      ]);
    });

    it('stops at an overflow page that holds more bytes than its item declares', async () => {
      const content = Buffer.from(fixture(BDB));
      content.writeUInt16LE(4070, 22 * 4096 + 22); // the last page claims a full page of data
      expect((await analyzeBytes(content)).errors).toEqual([
        'rpm BerkeleyDB database, header instance 1 (page 2): overflow page 22 holds more than its page or its item allows',
      ]);
    });

    it('stops at an overflow chain that points past the end of the file', async () => {
      const content = Buffer.from(fixture(BDB));
      content.writeUInt32LE(9999, 5 * 4096 + 16);
      expect((await analyzeBytes(content)).errors).toEqual([
        'rpm BerkeleyDB database, header instance 1 (page 2): overflow chain from page 3 points past the end at page 9999',
      ]);
    });

    it('stops at an overflow chain that ends early', async () => {
      const content = Buffer.from(fixture(BDB));
      content.writeUInt32LE(0, 5 * 4096 + 16);
      expect((await analyzeBytes(content)).errors).toEqual([
        'rpm BerkeleyDB database, header instance 1 (page 2): overflow chain from page 3 holds 12210 of 80880 bytes',
      ]);
    });

    it('survives a metadata page that declares four billion pages', async () => {
      const content = Buffer.from(fixture(BDB));
      content.writeUInt32LE(0xffffffff, 32);
      const result = await analyzeBytes(content);
      expect(result.packages).toHaveLength(1);
      expect(result.errors).toEqual([
        'rpm BerkeleyDB database: truncated: the metadata declares 4294967296 pages of 4096 bytes, the file holds 23',
      ]);
    });

    it.each([
      ['an invalid page size', 20, 1000, 'page size 1000 is not a power of two between 512 and 65536'],
      ['an encrypted database', 24, 1, 'encrypted with algorithm 1, which is not supported'],
      ['a btree metadata page', 25, 9, 'page 0 has type 9, expected hash metadata'],
    ])('rejects %s', async (_case, at, value, message) => {
      const content = Buffer.from(fixture(BDB));
      if (at === 20) content.writeUInt32LE(value, at);
      else content[at] = value;
      expect((await analyzeBytes(content)).errors).toEqual([`rpm BerkeleyDB database: ${message}`]);
    });

    it('reports a hash page whose item count is odd', async () => {
      const content = Buffer.from(fixture(BDB));
      content.writeUInt16LE(3, 4096 + 20);
      expect((await analyzeBytes(content)).errors).toEqual([
        'rpm BerkeleyDB database, page 1: 3 items do not form key/value pairs within the page',
      ]);
    });
  });

  describe('NDB', () => {
    it('reports a truncated slot table and keeps what it could read', async () => {
      const result = await analyzeBytes(fixture(NDB).subarray(0, 2048));
      expect(result.packages).toEqual([]);
      expect(result.errors?.[0]).toBe('rpm NDB database: truncated: 1 slot pages do not fit in 2048 bytes');
      expect(result.errors?.[1]).toMatch(/^rpm NDB database, package 1: blob offset 4096 is past the end/);
    });

    it('stops at a slot without its magic and keeps the packages before it', async () => {
      const content = Buffer.from(fixture(NDB));
      content.write('Junk', SLOT(5), 'latin1');
      const result = await analyzeBytes(content);
      expect(result.packages).toHaveLength(3);
      expect(result.errors).toEqual([
        "rpm NDB database: slot 5 has no 'Slot' magic; the slot table is corrupt",
      ]);
    });

    it('reports a blob that belongs to another package', async () => {
      const content = Buffer.from(fixture(NDB));
      const blobAt = content.readUInt32LE(SLOT(3) + 8) * 16;
      content.writeUInt32LE(99, blobAt + 4);
      const result = await analyzeBytes(content);
      expect(result.packages).toHaveLength(34);
      expect(result.errors).toEqual([
        `rpm NDB database, package 2: the blob at offset ${blobAt} belongs to package 99`,
      ]);
    });

    it('reports a blob longer than its blocks', async () => {
      const content = Buffer.from(fixture(NDB));
      const blobAt = content.readUInt32LE(SLOT(2) + 8) * 16;
      content.writeUInt32LE(0x7fffffff, blobAt + 12);
      const result = await analyzeBytes(content);
      expect(result.packages).toHaveLength(34);
      expect(result.errors).toEqual([
        'rpm NDB database, package 1: blob of 2147483647 bytes does not fit its 260 blocks or the file',
      ]);
    });

    it('names the package whose header is malformed and keeps the others', async () => {
      const content = Buffer.from(fixture(NDB));
      const blobAt = content.readUInt32LE(SLOT(4) + 8) * 16;
      content.writeUInt32BE(0, blobAt + 16 + 4); // data length 0: every entry's offset is out of range
      const result = await analyzeBytes(content);
      expect(result.packages).toHaveLength(34);
      expect(result.errors?.[0]).toMatch(
        /^rpm NDB database, package 3: rpm header: entry 0 \(tag 63\) offset \d+ is outside/,
      );
    });

    it('rejects an unknown NDB version', async () => {
      const content = Buffer.from(fixture(NDB));
      content.writeUInt32LE(7, 4);
      expect((await analyzeBytes(content)).errors).toEqual(['rpm NDB database: version 7 is not supported']);
    });
  });
});
