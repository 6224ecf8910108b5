import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { pipAnalyzer } from './index.js';

describe('lang/pip analyzer', () => {
  describe('required()', () => {
    it.each([
      ['requirements.txt', true],
      ['app/requirements-dev.txt', true],
      ['app/requirements_prod.txt', true],
      ['app/requirements/base.txt', true],
      ['app/requirements.in', false],
      ['app/requirements/README.md', false],
      ['app/dev-requirements.txt', false],
    ])('%s -> %s', (path, want) => {
      expect(pipAnalyzer.required(meta(path))).toBe(want);
    });
  });

  it('reads a real hashed file made by `uv pip compile`', async () => {
    const result = await analyzeFixture(
      pipAnalyzer,
      new URL('./fixtures/requirements.txt', import.meta.url),
      'requirements.txt',
    );
    expect(ids(result)).toEqual(['attrs@23.2.0', 'requests@2.34.2', 'six@1.16.0']);
  });

  it.each([
    ['Django==4.2.1', ['django@4.2.1']],
    ['requests[socks,security] == 2.31.0 ; python_version >= "3.8"', ['requests@2.31.0']],
    ['urllib3===1.26.18  # pinned for CVE', ['urllib3@1.26.18']],
    ['flask>=2.0', []],
    ['numpy~=1.26', []],
    ['pkg==1.*', []],
    ['-r other.txt', []],
    ['-e git+https://example.com/x.git#egg=x', []],
    ['--index-url https://example.com/simple', []],
    ['# only a comment', []],
  ])('%s -> %j', async (line, want) => {
    const result = await analyzeBytes(pipAnalyzer, Buffer.from(`${line}\n`), 'requirements.txt');
    expect(ids(result)).toEqual(want);
  });
});
