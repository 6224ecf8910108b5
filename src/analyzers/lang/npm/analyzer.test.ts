import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { npmAnalyzer } from './index.js';

describe('lang/npm analyzer', () => {
  describe('required()', () => {
    it.each([
      ['usr/lib/node_modules/npm/package.json', true],
      ['app/node_modules/@hapi/hoek/package.json', true],
      ['app/node_modules/debug/node_modules/ms/package.json', true],
      ['node_modules/ms/package.json', true],
      ['app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json', true],
      ['app/node_modules/.pnpm/node_modules/ms/package.json', true],
      ['app/package.json', false],
      ['app/node_modules/ms/lib/package.json', false],
      ['app/node_modules/@hapi/package.json', false],
      ['app/node_modules/.package-lock.json', false],
      ['app/node_modules/.bin/package.json', false],
      ['app/node_modules/ms/package.json.bak', false],
    ])('%s -> %s', (path, want) => {
      expect(npmAnalyzer.required(meta(path))).toBe(want);
    });
  });

  describe('analyze() on real installed package.json files', () => {
    it.each([
      ['@hapi/hoek', 'BSD-3-Clause', '@hapi/hoek@9.3.0', '@hapi/hoek'],
      ['debug', 'MIT', 'debug@4.3.4', undefined],
      ['debug/node_modules/ms', 'MIT', 'ms@2.1.2', undefined],
      ['is-number', 'MIT', 'is-number@7.0.0', undefined],
    ])('node_modules/%s gives %s %s', async (dir, license, id, osvName) => {
      const path = `app/node_modules/${dir}/package.json`;
      const fixture = new URL(`./fixtures/node_modules/${dir}/package.json`, import.meta.url);
      const result = await analyzeFixture(npmAnalyzer, fixture, path);
      expect(ids(result)).toEqual([id]);
      const pkg = result.packages?.[0];
      expect(pkg).toMatchObject({ type: 'npm', licenses: [license], path });
      expect(pkg?.extra?.osvName).toBe(osvName);
    });
  });

  describe('when package.json is broken', () => {
    it.each([
      ['not JSON', '{"name": "x",'],
      ['without a version', '{"name": "x"}'],
      ['an array', '[]'],
    ])('reports %s as an error naming the file', async (_, body) => {
      const path = 'node_modules/x/package.json';
      const result = await analyzeBytes(npmAnalyzer, Buffer.from(body), path);
      expect(result.packages).toEqual([]);
      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]).toMatch(/package\.json/);
    });
  });

  it('reads the old `licenses` array', async () => {
    const body = '{"name":"old","version":"0.1.0","licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}';
    const result = await analyzeBytes(npmAnalyzer, Buffer.from(body), 'node_modules/old/package.json');
    expect(result.packages?.[0]?.licenses).toEqual(['MIT', 'Apache-2.0']);
  });
});
