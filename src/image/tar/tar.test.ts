import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { TarIndex } from '../archive/tar-index.js';
import { type TarHeader, walkTar } from '../walker/tar-parser.js';
import { MAX_TAR_META, parsePaxRecords, parseTarHeader, TarError } from './index.js';
import { base256, paxRecord, type RawEntry, rawHeader, rawTar } from './testing/raw-tar.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function walk(tar: Buffer): Promise<TarHeader[]> {
  const seen: TarHeader[] = [];
  await walkTar(Readable.from([tar]), 'layer sha256:ab', (h) => {
    seen.push(h);
    return undefined;
  });
  return seen;
}

function index(tar: Buffer): TarIndex {
  const path = join(dir, `t${Math.random().toString(36).slice(2)}.tar`);
  writeFileSync(path, tar);
  return TarIndex.open(path);
}

const pax = (...records: string[]): RawEntry => ({ name: 'PaxHeader/f', flag: 'x', body: records.join('') });
const file: RawEntry = { name: 'etc/f', body: 'hello' };

describe('tar headers: the walker and the archive index refuse the same malformed archives', () => {
  it.each<[string, RawEntry[], RegExp]>([
    ['a bad header checksum', [{ ...file, badChecksum: true }], /bad tar header checksum/],
    [
      'a size field that is not octal',
      [{ ...file, sizeField: Buffer.from('00000000009\0') }],
      /bad size field/,
    ],
    ['a base-256 size over 2^53', [{ ...file, sizeField: base256(2n ** 60n) }], /size out of range/],
    ['a negative base-256 size', [{ ...file, sizeField: Buffer.alloc(12, 0xff) }], /negative size/],
    ['a PAX record length that is not a number', [pax('x1 path=a\n'), file], /bad PAX record length/],
    ['a PAX record without a length', [pax('path=a\n'), file], /bad PAX record length/],
    ['a PAX record longer than its header', [pax('99 path=a\n'), file], /PAX record length past its header/],
    ['a PAX record shorter than its key', [pax('3 path=a\n'), file], /PAX record/],
    ['a PAX record not ended by a newline', [pax('10 path=ab!'), file], /not ended by a newline/],
    ['a PAX record without a key', [pax(paxRecord('', 'x')), file], /PAX record without a key/],
    ['a PAX size in exponent form', [pax(paxRecord('size', '1e3')), file], /bad PAX size/],
    ['a PAX size over 2^53', [pax(paxRecord('size', '99999999999999999')), file], /bad PAX size/],
    ['a PAX size that is negative', [pax(paxRecord('size', '-1')), file], /bad PAX size/],
  ])('%s', async (_, entries, message) => {
    const tar = rawTar(entries);
    const walked = walk(tar);
    await expect(walked).rejects.toMatchObject({ code: 'CORRUPT_LAYER' });
    await expect(walked).rejects.toThrow(message);
    await expect(walked).rejects.toThrow(/^layer sha256:ab: not a readable tar/);
    expect(() => index(tar)).toThrow(message);
    expect(() => index(tar)).toThrow(/^\/.*\.tar: not a valid tar archive \(.* at byte \d+\)$/);
  });

  it('an oversized metadata entry', async () => {
    const tar = rawTar([{ name: 'PaxHeader/f', flag: 'x', sizeField: base256(BigInt(MAX_TAR_META + 1)) }]);
    await expect(walk(tar)).rejects.toThrow(/tar metadata entry too large/);
    expect(() => index(tar)).toThrow(/oversized extended header/);
  });
});

describe('tar headers: what both readers accept', () => {
  it('a base-256 size, PAX path and size, GNU long names', async () => {
    const long = `${'d'.repeat(150)}/name`;
    const tar = rawTar([
      { name: 'big', body: 'x'.repeat(700), sizeField: base256(700n) },
      pax(paxRecord('path', 'pax/ü-name'), paxRecord('mtime', '1.5')),
      { name: 'short', body: 'p' },
      { name: '././@LongLink', flag: 'L', body: `${long}\0` },
      { name: 'trunc', body: 'l' },
      { name: 'dev', flag: '3', sizeField: base256(12345n) },
      { name: 'after', body: 'a' },
    ]);
    const names = (await walk(tar)).map((h) => [h.name, h.size]);
    expect(names).toEqual([
      ['big', 700],
      ['pax/ü-name', 1],
      [long, 1],
      ['dev', 0],
      ['after', 1],
    ]);
    const idx = index(tar);
    expect([...idx.entries.keys()]).toEqual(['big', 'pax/ü-name', long, 'dev', 'after']);
    expect(idx.read(idx.get('after')!, 10).toString()).toBe('a');
  });

  it('parses the header fields directly', () => {
    const h = parseTarHeader(rawHeader({ name: 'a/b', body: 'xyz', flag: '2' }));
    expect(h).toMatchObject({ name: 'a/b', size: 3, kind: 'symlink', mode: 0o644 });
    expect(() => parseTarHeader(rawHeader({ name: 'a', badChecksum: true }))).toThrow(TarError);
  });

  it('parses PAX records, values may hold spaces, = and newlines', () => {
    const body = Buffer.from(paxRecord('path', 'a b=c\nd') + paxRecord('linkpath', ''));
    expect(parsePaxRecords(body)).toEqual(
      new Map([
        ['path', 'a b=c\nd'],
        ['linkpath', ''],
      ]),
    );
  });
});
