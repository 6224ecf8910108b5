import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { dotnetDepsAnalyzer } from './index.js';

describe('lang/dotnet-deps analyzer', () => {
  it.each([
    ['app/Web.deps.json', true],
    ['usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.0/Microsoft.NETCore.App.deps.json', true],
    ['app/Web.runtimeconfig.json', false],
    ['app/deps.json.bak', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(dotnetDepsAnalyzer.required(meta(path))).toBe(want);
  });

  it('reads a real deps.json: NuGet packages only, the projects are the application', async () => {
    const fixture = new URL('./fixtures/Web.deps.json', import.meta.url);
    const result = await analyzeFixture(dotnetDepsAnalyzer, fixture, 'app/Web.deps.json');
    expect(result.packages).toEqual([
      { type: 'nuget', name: 'Newtonsoft.Json', version: '13.0.3', path: 'app/Web.deps.json' },
    ]);
  });

  it('reports invalid JSON in errors[]', async () => {
    const result = await analyzeBytes(dotnetDepsAnalyzer, Buffer.from('{"libraries": {'), 'app/x.deps.json');
    expect(ids(result)).toEqual([]);
    expect(result.errors?.[0]).toMatch(/^invalid JSON in deps\.json/);
  });
});
