import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { poetryAnalyzer } from './index.js';

describe('lang/poetry analyzer', () => {
  it.each([
    ['poetry.lock', true],
    ['app/poetry.lock', true],
    ['app/pyproject.toml', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(poetryAnalyzer.required(meta(path))).toBe(want);
  });

  it.each([
    ['poetry-1.8.lock', ['attrs@23.2.0', 'iniconfig@2.0.0', 'six@1.16.0']],
    ['poetry-2.1.lock', ['attrs@23.2.0', 'iniconfig@2.0.0 (dev)', 'six@1.16.0']],
  ])('reads the real %s', async (file, want) => {
    const result = await analyzeFixture(
      poetryAnalyzer,
      new URL(`./fixtures/${file}`, import.meta.url),
      'poetry.lock',
    );
    expect(result.errors).toBeUndefined();
    expect(ids(result)).toEqual(want);
  });

  it('marks Poetry < 1.5 `category = "dev"` packages as dev', async () => {
    const body = '[[package]]\nname = "pytest"\nversion = "7.0.0"\ncategory = "dev"\n';
    const result = await analyzeBytes(poetryAnalyzer, Buffer.from(body), 'poetry.lock');
    expect(ids(result)).toEqual(['pytest@7.0.0 (dev)']);
  });

  it('reports invalid TOML in errors[]', async () => {
    const result = await analyzeBytes(poetryAnalyzer, Buffer.from('[[package]\nname = '), 'poetry.lock');
    expect(result.errors?.[0]).toMatch(/^invalid TOML in poetry\.lock/);
  });
});
