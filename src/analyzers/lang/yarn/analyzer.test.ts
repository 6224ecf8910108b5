import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { descriptorName } from './descriptor.js';
import { yarnAnalyzer } from './index.js';

describe('lang/yarn analyzer', () => {
  describe('required()', () => {
    it.each([
      ['yarn.lock', true],
      ['app/yarn.lock', true],
      ['app/node_modules/x/yarn.lock', false],
      ['app/yarn.lock.bak', false],
    ])('%s -> %s', (path, want) => {
      expect(yarnAnalyzer.required(meta(path))).toBe(want);
    });
  });

  describe.each(['classic', 'berry'])('analyze() on a real %s yarn.lock', (kind) => {
    it('lists every resolved package; the workspace itself is not a package', async () => {
      const fixture = new URL(`./fixtures/yarn-${kind}.lock`, import.meta.url);
      const result = await analyzeFixture(yarnAnalyzer, fixture, 'app/yarn.lock');
      expect(result.errors).toBeUndefined();
      expect(ids(result)).toEqual([
        '@hapi/hoek@9.3.0',
        'debug@4.3.4',
        'is-number@7.0.0',
        'ms@2.1.2',
        'ms@2.1.3',
      ]);
    });
  });

  describe('descriptorName()', () => {
    it.each([
      ['lodash@^4.17.0', 'lodash'],
      ['@types/node@^20', '@types/node'],
      ['@types/node@npm:20.1.0', '@types/node'],
      ['my-alias@npm:real-pkg@^1.0.0', 'real-pkg'],
      ['my-alias@npm:@scope/real@^1.0.0', '@scope/real'],
      ['nothing', undefined],
    ])('%s -> %s', (descriptor, want) => {
      expect(descriptorName(descriptor)).toBe(want);
    });
  });

  it.each([
    ['a classic file with a stray line', 'lodash@^4:\n  version "4.17.21"\nthis is not yarn\n'],
    ['a berry file that is not YAML', '__metadata:\n  version: 8\n"a@npm:1": [unclosed\n'],
  ])('reports %s in errors[]', async (_, body) => {
    const result = await analyzeBytes(yarnAnalyzer, Buffer.from(body), 'yarn.lock');
    expect(result.packages).toEqual([]);
    expect(result.errors?.[0]).toMatch(/yarn\.lock/);
  });
});
