import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { pyprojectAnalyzer } from './index.js';

describe('lang/pyproject analyzer', () => {
  describe('required()', () => {
    it.each([
      ['pyproject.toml', true],
      ['srv/app/pyproject.toml', true],
      ['usr/lib/python3/dist-packages/x/pyproject.toml', false],
      ['app/.venv/lib/python3.11/site-packages/x/pyproject.toml', false],
      ['srv/app/poetry.lock', false],
    ])('%s -> %s', (path, want) => {
      expect(pyprojectAnalyzer.required(meta(path))).toBe(want);
    });
  });

  it('lists a real Poetry project ([tool.poetry]) as the application, not its dependencies', async () => {
    const fixture = new URL('./fixtures/pyproject.toml', import.meta.url);
    const result = await analyzeFixture(pyprojectAnalyzer, fixture, 'app/pyproject.toml');
    expect(result.errors).toBeUndefined();
    expect(ids(result)).toEqual(['poetry@1.0.5']);
    expect(result.packages?.[0]).toMatchObject({
      type: 'pypi',
      path: 'app/pyproject.toml',
      extra: { main: true },
    });
  });

  it.each([
    ['a PEP 621 project', '[project]\nname = "My_App"\nversion = "2.1.0"\n', ['my-app@2.1.0']],
    ['a dynamic version', '[project]\nname = "app"\ndynamic = ["version"]\n', []],
    ['no project table', '[tool.black]\nline-length = 88\n', []],
  ])('%s', async (_, text, want) => {
    const result = await analyzeBytes(pyprojectAnalyzer, Buffer.from(text), 'pyproject.toml');
    expect(ids(result)).toEqual(want);
  });

  it('reports invalid TOML in errors[]', async () => {
    const result = await analyzeBytes(pyprojectAnalyzer, Buffer.from('[project\n'), 'pyproject.toml');
    expect(result.errors?.[0]).toMatch(/pyproject\.toml/);
  });
});
