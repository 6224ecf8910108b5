import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rawZip } from '../../../core/testing/raw-zip.js';
import { listZip, readZipEntry } from './zip.js';

interface Entry {
  readonly name: string;
  readonly data: Buffer;
  readonly deflate?: boolean;
  /** the size the headers claim (a lying header) */
  readonly claimedSize?: number;
}

/** Writes a zip as APPNOTE.TXT lays it out; `zip64` saturates the 32-bit fields and adds the ZIP64 records. */
function buildZip(entries: readonly Entry[], zip64 = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name);
    const size = e.claimedSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(e.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const extra = Buffer.alloc(zip64 ? 28 : 0);
    if (zip64) {
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc32(e.data), 16);
    central.writeUInt32LE(zip64 ? 0xffffffff : body.length, 20);
    central.writeUInt32LE(zip64 ? 0xffffffff : size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
    centrals.push(central, name, extra);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (zip64) {
    const end64 = Buffer.alloc(56);
    end64.writeUInt32LE(0x06064b50, 0);
    end64.writeBigUInt64LE(44n, 4);
    end64.writeBigUInt64LE(BigInt(entries.length), 24);
    end64.writeBigUInt64LE(BigInt(entries.length), 32);
    end64.writeBigUInt64LE(BigInt(cd.length), 40);
    end64.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(end64, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 8);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...locals, cd, ...tail, end]);
}

const props = Buffer.from('groupId=org.ex\nartifactId=a\nversion=1.0\n');

describe('zip reader', () => {
  it.each([
    ['a classic zip', false],
    ['a ZIP64 zip', true],
  ])('lists and reads stored and deflated entries of %s', (_, zip64) => {
    const zip = buildZip(
      [
        { name: 'META-INF/maven/org.ex/a/pom.properties', data: props },
        { name: 'big.txt', data: Buffer.alloc(100_000, 0x61), deflate: true },
      ],
      zip64,
    );
    const entries = listZip(zip);
    expect(entries.map((e) => [e.name, e.size])).toEqual([
      ['META-INF/maven/org.ex/a/pom.properties', props.length],
      ['big.txt', 100_000],
    ]);
    expect(readZipEntry(zip, entries[0]!, 1024)).toEqual(props);
    expect(readZipEntry(zip, entries[1]!, 200_000).length).toBe(100_000);
  });

  it('refuses an entry whose declared size is over the cap, before inflating it', () => {
    const zip = buildZip([{ name: 'x', data: Buffer.alloc(10_000), deflate: true }]);
    expect(() => readZipEntry(zip, listZip(zip)[0]!, 1_000)).toThrow(/larger than 1000 bytes/);
  });

  it('stops inflating a bomb whose header lies about its size', () => {
    const zip = buildZip([
      { name: 'bomb', data: Buffer.alloc(8 * 1024 * 1024), deflate: true, claimedSize: 10 },
    ]);
    expect(zip.length).toBeLessThan(20_000);
    expect(() => readZipEntry(zip, listZip(zip)[0]!, 1024 * 1024)).toThrow(/cannot inflate bomb/);
  });

  it.each([
    [
      'a stored entry whose sizes differ',
      [{ name: 'a', data: 'abcdef', method: 0 as const, declaredSize: 3 }],
    ],
    ['a deflated entry larger than declared', [{ name: 'a', data: 'abcdef'.repeat(100), declaredSize: 10 }]],
    ['a deflated entry smaller than declared', [{ name: 'a', data: 'abcdef', declaredSize: 100 }]],
    ['a wrong CRC-32', [{ name: 'a', data: 'abcdef', crc: 7 }]],
  ])('refuses %s when reading it', (_, entries) => {
    const zip = rawZip(entries);
    expect(() => readZipEntry(zip, listZip(zip)[0]!, 1 << 20)).toThrow(
      /^zip: (a does not match|cannot inflate a)/,
    );
  });

  it('refuses entries that share bytes, when listing', () => {
    const zip = rawZip([{ name: 'a', data: 'abcdef' }], { aliases: [{ name: 'b', sameAs: 0 }] });
    expect(() => listZip(zip)).toThrow('zip: entry b overlaps another entry (a zip bomb)');
  });

  it.each([
    ['no end record', Buffer.alloc(100)],
    ['a central directory past the end', buildZip([{ name: 'a', data: props }]).subarray(40)],
  ])('rejects %s', (_, bytes) => {
    expect(() => listZip(bytes)).toThrow(/^zip: /);
  });
});
