import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { pnpmAnalyzer } from './index.js';
import { parseKey, parseV5Key } from './keys.js';

describe('lang/pnpm analyzer', () => {
  describe('required()', () => {
    it.each([
      ['pnpm-lock.yaml', true],
      ['repo/pnpm-lock.yaml', true],
      ['repo/node_modules/.pnpm/lock.yaml', false],
      ['repo/pnpm-workspace.yaml', false],
    ])('%s -> %s', (path, want) => {
      expect(pnpmAnalyzer.required(meta(path))).toBe(want);
    });
  });

  describe.each(['v5', 'v6', 'v9'])('analyze() on a real pnpm-lock.yaml %s', (v) => {
    it('lists every package and marks the dev-only ones', async () => {
      const fixture = new URL(`./fixtures/pnpm-lock-${v}.yaml`, import.meta.url);
      const result = await analyzeFixture(pnpmAnalyzer, fixture, 'pnpm-lock.yaml');
      expect(result.errors).toBeUndefined();
      expect(ids(result)).toEqual([
        '@hapi/hoek@9.3.0',
        'debug@4.3.4',
        'is-number@7.0.0 (dev)',
        'ms@2.1.2',
        'ms@2.1.3',
      ]);
    });
  });

  describe('package keys', () => {
    it.each([
      ['/@babel/core/7.24.0', { name: '@babel/core', version: '7.24.0' }],
      ['/react-dom/18.2.0_react@18.2.0', { name: 'react-dom', version: '18.2.0' }],
      ['/x/github.com/a/b', undefined],
    ])('v5 %s', (key, want) => {
      expect(parseV5Key(key)).toEqual(want);
    });
    it.each([
      ['/@babel/core@7.24.0', { name: '@babel/core', version: '7.24.0' }],
      ['react-dom@18.2.0(react@18.2.0)', { name: 'react-dom', version: '18.2.0' }],
      ['pkg@file:../pkg', undefined],
      ['pkg@https://codeload.github.com/a/b/tar.gz/abc', undefined],
    ])('v6+ %s', (key, want) => {
      expect(parseKey(key)).toEqual(want);
    });
  });

  it('reports a file without lockfileVersion in errors[]', async () => {
    const result = await analyzeBytes(pnpmAnalyzer, Buffer.from('packages: {}\n'), 'pnpm-lock.yaml');
    expect(result.errors?.[0]).toMatch(/lockfileVersion/);
  });
});
