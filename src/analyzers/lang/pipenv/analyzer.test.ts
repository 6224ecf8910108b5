import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { pipenvAnalyzer } from './index.js';

describe('lang/pipenv analyzer', () => {
  it.each([
    ['Pipfile.lock', true],
    ['app/Pipfile.lock', true],
    ['app/Pipfile', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(pipenvAnalyzer.required(meta(path))).toBe(want);
  });

  it('reads the real Pipfile.lock: develop entries are dev', async () => {
    const fixture = new URL('./fixtures/Pipfile.lock', import.meta.url);
    const result = await analyzeFixture(pipenvAnalyzer, fixture, 'Pipfile.lock');
    expect(ids(result)).toEqual(['attrs@23.2.0', 'iniconfig@2.0.0 (dev)', 'six@1.16.0']);
  });

  it('reports a truncated file in errors[]', async () => {
    const result = await analyzeBytes(pipenvAnalyzer, Buffer.from('{"default": {'), 'Pipfile.lock');
    expect(result.errors?.[0]).toMatch(/^invalid JSON in Pipfile\.lock/);
  });
});
