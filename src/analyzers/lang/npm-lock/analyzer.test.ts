import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { npmLockAnalyzer } from './index.js';

const EXPECTED = [
  '@hapi/hoek@9.3.0',
  'debug@4.3.4',
  'fx-app@1.0.0',
  'is-number@7.0.0 (dev)',
  'ms@2.1.2',
  'ms@2.1.3',
];

describe('lang/npm-lock analyzer', () => {
  describe('required()', () => {
    it.each([
      ['package-lock.json', true],
      ['srv/app/package-lock.json', true],
      ['srv/app/npm-shrinkwrap.json', true],
      ['srv/app/node_modules/x/npm-shrinkwrap.json', false],
      ['srv/app/node_modules/.package-lock.json', false],
      ['srv/app/package.json', false],
    ])('%s -> %s', (path, want) => {
      expect(npmLockAnalyzer.required(meta(path))).toBe(want);
    });
  });

  describe.each(['v1', 'v2', 'v3'])('analyze() on a real lockfile %s', (v) => {
    it('lists every installed package once, nested copies included, dev marked', async () => {
      const fixture = new URL(`./fixtures/package-lock-${v}.json`, import.meta.url);
      const result = await analyzeFixture(npmLockAnalyzer, fixture, 'app/package-lock.json');
      expect(result.errors).toBeUndefined();
      expect(ids(result)).toEqual(EXPECTED);
      expect(result.packages?.find((p) => p.name === 'hoek')?.extra).toEqual({ osvName: '@hapi/hoek' });
      expect(result.packages?.every((p) => p.path === 'app/package-lock.json')).toBe(true);
      // the project itself is the application its dependencies hang under
      expect(result.packages?.find((p) => p.name === 'fx-app')?.extra).toEqual({ main: true });
      const licenses = result.packages?.filter((p) => !p.extra?.main).map((p) => p.licenses?.join() ?? '');
      expect(licenses).toEqual(
        v === 'v1' ? ['', '', '', '', ''] : ['BSD-3-Clause', 'MIT', 'MIT', 'MIT', 'MIT'],
      );
    });
  });

  it('reads a real workspaces lockfile: workspace deps count, the workspace and its link do not', async () => {
    const fixture = new URL('./fixtures/package-lock-workspaces.json', import.meta.url);
    const result = await analyzeFixture(npmLockAnalyzer, fixture, 'package-lock.json');
    expect(ids(result)).toEqual(['ms@2.1.1', 'ms@2.1.3']);
  });

  it('skips links, workspace sources and non-registry versions', async () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'root', version: '1.0.0' },
        'packages/a': { name: 'a', version: '0.1.0' },
        'node_modules/a': { resolved: 'packages/a', link: true },
        'node_modules/gitdep': { version: 'git+ssh://git@example.com/x.git#abc' },
        'node_modules/alias': { name: 'real', version: '2.0.0' },
      },
    };
    const result = await analyzeBytes(
      npmLockAnalyzer,
      Buffer.from(JSON.stringify(lock)),
      'package-lock.json',
    );
    expect(ids(result)).toEqual(['real@2.0.0', 'root@1.0.0']);
  });

  it('resolves v1 aliases `npm:real@1.0.0`', async () => {
    const lock = { lockfileVersion: 1, dependencies: { alias: { version: 'npm:real@1.0.0' } } };
    const result = await analyzeBytes(
      npmLockAnalyzer,
      Buffer.from(JSON.stringify(lock)),
      'package-lock.json',
    );
    expect(ids(result)).toEqual(['real@1.0.0']);
  });

  it.each([
    ['truncated JSON', '{"lockfileVersion": 3, "packages": {'],
    ['no lockfileVersion', '{"packages": {}}'],
  ])('reports %s in errors[]', async (_, body) => {
    const result = await analyzeBytes(npmLockAnalyzer, Buffer.from(body), 'package-lock.json');
    expect(result.packages).toEqual([]);
    expect(result.errors?.[0]).toMatch(/npm lockfile/);
  });
});
