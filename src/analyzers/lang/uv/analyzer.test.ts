import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { uvAnalyzer } from './index.js';

describe('lang/uv analyzer', () => {
  it.each([
    ['uv.lock', true],
    ['app/uv.lock', true],
    ['app/uv.toml', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(uvAnalyzer.required(meta(path))).toBe(want);
  });

  it('reads the real uv.lock: the project is skipped, dev-group-only packages are dev', async () => {
    const result = await analyzeFixture(
      uvAnalyzer,
      new URL('./fixtures/uv.lock', import.meta.url),
      'uv.lock',
    );
    expect(result.errors).toBeUndefined();
    expect(ids(result)).toEqual(['attrs@23.2.0', 'iniconfig@2.0.0 (dev)', 'six@1.16.0']);
  });

  it('reports invalid TOML in errors[]', async () => {
    const result = await analyzeBytes(uvAnalyzer, Buffer.from('version = \n'), 'uv.lock');
    expect(result.errors).toHaveLength(1);
  });
});
