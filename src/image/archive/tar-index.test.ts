import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTar } from '../testing/make-tar.js';
import { looksLikeTar, normalizeTarPath, TarIndex } from './tar-index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-tar-index-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function consume(s: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString();
}

function write(name: string, data: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe('TarIndex', () => {
  it('indexes entries by offset and reads each one in place', async () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(150)}.txt`;
    const path = write(
      'a.tar',
      await makeTar([
        { name: 'manifest.json', content: '[]' },
        { name: 'blobs/', type: 'directory' },
        { name: './blobs/sha256/abc', content: 'x'.repeat(1500) },
        { name: long, content: 'long name' },
        { name: 'empty', content: '' },
        { name: 'layer.tar', type: 'symlink', linkname: 'blobs/sha256/abc' },
        { name: 'sub/hard', type: 'link', linkname: 'manifest.json' },
      ]),
    );
    const index = TarIndex.open(path);
    expect([...index.entries.keys()]).toEqual([
      'manifest.json',
      'blobs',
      'blobs/sha256/abc',
      long,
      'empty',
      'layer.tar',
      'sub/hard',
    ]);
    expect(index.read(index.get('manifest.json')!, 100).toString()).toBe('[]');
    expect(await consume(index.stream(index.get(long)!))).toBe('long name');
    expect(await consume(index.stream(index.get('empty')!))).toBe('');
    expect(index.resolve('layer.tar')?.name).toBe('blobs/sha256/abc');
    expect(index.resolve('sub/hard')?.name).toBe('manifest.json');
    expect(await consume(index.stream(index.resolve('layer.tar')!, 1495))).toBe('xxxxx');
  });

  it("reads GNU long names ('L' entries) the way GNU tar writes them", () => {
    const src = join(dir, 'gnu-src');
    const deep = join('n'.repeat(90), 'm'.repeat(90), 'file.txt');
    mkdirSync(join(src, 'n'.repeat(90), 'm'.repeat(90)), { recursive: true });
    writeFileSync(join(src, deep), 'gnu');
    const path = join(dir, 'gnu.tar');
    execFileSync('tar', ['--format=gnu', '-cf', path, '-C', src, '.']);
    const index = TarIndex.open(path);
    expect(index.read(index.get(deep)!, 10).toString()).toBe('gnu');
  });

  it('resolves symlink chains relative to their directory and stops on loops', async () => {
    const path = write(
      'links.tar',
      await makeTar([
        { name: 'a/real.tar', content: 'r' },
        { name: 'b/link.tar', type: 'symlink', linkname: '../a/real.tar' },
        { name: 'loop1', type: 'symlink', linkname: 'loop2' },
        { name: 'loop2', type: 'symlink', linkname: 'loop1' },
      ]),
    );
    const index = TarIndex.open(path);
    expect(index.resolve('b/link.tar')?.name).toBe('a/real.tar');
    expect(index.resolve('loop1')).toBeUndefined();
  });

  describe('when the file is not a sound tar', () => {
    it.each([
      ['a corrupted header checksum', (t: Buffer) => t.fill(0x41, 0, 10), 'checksum'],
      ['data running past the end', (t: Buffer) => t.subarray(0, 700), 'past the end'],
    ])('%s is INVALID_ARCHIVE', async (_name, damage, message) => {
      const tar = await makeTar([{ name: 'f', content: 'x'.repeat(600) }]);
      const path = write('bad.tar', Buffer.from(damage(Buffer.from(tar))));
      expect(() => TarIndex.open(path)).toThrow(message);
      expect(() => TarIndex.open(path)).toThrow(expect.objectContaining({ code: 'INVALID_ARCHIVE' }));
    });
  });

  it('recognises tar headers', async () => {
    expect(looksLikeTar(await makeTar([{ name: 'f', content: 'x' }]))).toBe(true);
    expect(looksLikeTar(Buffer.alloc(512))).toBe(false);
    expect(looksLikeTar(readFileSync(__filename))).toBe(false);
  });

  it.each([
    ['./a/b/', 'a/b'],
    ['/a//b', 'a/b'],
    ['a/../../b', 'b'],
    ['.', ''],
  ])('normalises %j to %j', (raw, clean) => {
    expect(normalizeTarPath(raw)).toBe(clean);
  });
});
