import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeBytes, ids, meta } from '../shared/test-support.js';
import { goBinaryAnalyzer, stdlibVersion } from './index.js';
import { parseModInfo } from './modinfo.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

describe('lang/go-binary analyzer', () => {
  describe('required()', () => {
    it.each([
      [meta('usr/bin/gron', 4_000_000, 0o755), true],
      [meta('usr/local/bin/app', 200_000, 0o700), true],
      [meta('usr/bin/tiny-script', 2_000, 0o755), false],
      [meta('usr/share/doc/big.txt', 4_000_000, 0o644), false],
    ])('%j -> %s', (file, want) => {
      expect(goBinaryAnalyzer.required(file)).toBe(want);
    });
  });

  describe('analyze() on real build info', () => {
    it('lists stdlib, every dep and the (devel) main module; local replacements keep no invented version', async () => {
      const result = await analyzeBytes(goBinaryAnalyzer, fixture('fxapp-buildinfo.elf'), 'app/fxapp', 0o755);
      expect(result.errors).toBeUndefined();
      expect(ids(result)).toEqual([
        'example.com/dep@0.0.0',
        'example.com/fxapp@(devel)',
        'github.com/google/uuid@1.6.0',
        'golang.org/x/text@0.14.0',
        'stdlib@1.26.8',
      ]);
      const uuid = result.packages?.find((p) => p.name === 'uuid');
      expect(uuid).toMatchObject({ type: 'golang', namespace: 'github.com/google', path: 'app/fxapp' });
      expect(uuid?.extra).toEqual({ osvName: 'github.com/google/uuid' });
      expect(result.packages?.find((p) => p.name === 'fxapp')?.extra).toEqual({
        osvName: 'example.com/fxapp',
        main: true,
      });
      expect(result.packages?.find((p) => p.name === 'dep')?.extra).toEqual({
        osvName: 'example.com/dep',
        replacedBy: './dep',
      });
    });

    it('reads a Debian binary built in GOPATH mode: only the standard library', async () => {
      const result = await analyzeBytes(
        goBinaryAnalyzer,
        fixture('gron-buildinfo.elf'),
        'usr/bin/gron',
        0o755,
      );
      expect(result.packages).toEqual([
        { type: 'golang', name: 'stdlib', version: '1.19.8', path: 'usr/bin/gron' },
      ]);
    });
  });

  describe('files that are not Go binaries', () => {
    it.each([
      ['a shell script', Buffer.from('#!/bin/sh\necho hi\n'.repeat(10_000))],
      ['an ELF without Go build info', fixture('gron-no-buildinfo.elf')],
    ])('%s yields nothing', async (_, bytes) => {
      const result = await analyzeBytes(goBinaryAnalyzer, bytes, 'usr/bin/x', 0o755);
      expect(result).toEqual({ packages: [] });
    });
  });

  it('reports a truncated ELF in errors[]', async () => {
    const bytes = fixture('fxapp-buildinfo.elf').subarray(0, 4300);
    const result = await analyzeBytes(goBinaryAnalyzer, bytes, 'usr/bin/x', 0o755);
    expect(result.packages).toEqual([]);
    expect(result.errors?.[0]).toMatch(/^ELF /);
  });

  it.each([
    ['go1.22.4', '1.22.4'],
    ['go1.21.0 X:boringcrypto', '1.21.0'],
    ['go1.20', '1.20'],
    ['go1.23rc1', '1.23rc1'],
    ['devel go1.24-abcdef', undefined],
  ])('stdlib version of %s is %s', (v, want) => {
    expect(stdlibVersion(v)).toBe(want);
  });

  it('applies a versioned replacement', () => {
    const text = 'mod\tx/app\tv1.0.0\t\ndep\ta/b\tv1.0.0\th1:x\n=>\tc/d\tv1.2.0\th1:y\n';
    expect(parseModInfo(text)).toEqual([
      { kind: 'mod', path: 'x/app', version: 'v1.0.0' },
      { kind: 'dep', path: 'c/d', version: 'v1.2.0' },
    ]);
  });
});
