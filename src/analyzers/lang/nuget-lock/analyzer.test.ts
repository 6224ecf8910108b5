import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { nugetLockAnalyzer } from './index.js';

describe('lang/nuget-lock analyzer', () => {
  it.each([
    ['packages.lock.json', true],
    ['src/Api/packages.lock.json', true],
    ['src/Api/packages.config', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(nugetLockAnalyzer.required(meta(path))).toBe(want);
  });

  it('reads a real lock file: direct and transitive packages', async () => {
    const fixture = new URL('./fixtures/packages.lock.json', import.meta.url);
    const result = await analyzeFixture(nugetLockAnalyzer, fixture, 'packages.lock.json');
    expect(ids(result)).toEqual([
      'Microsoft.Extensions.ApiDescription.Server@3.0.0',
      'Microsoft.OpenApi@1.1.4',
      'Newtonsoft.Json@12.0.3',
      'NuGet.Frameworks@5.7.0',
      'Swashbuckle.AspNetCore@5.5.1',
      'Swashbuckle.AspNetCore.Swagger@5.5.1',
      'Swashbuckle.AspNetCore.SwaggerGen@5.5.1',
      'Swashbuckle.AspNetCore.SwaggerUI@5.5.1',
    ]);
  });

  it('lists a package once across frameworks and skips project references', async () => {
    const lock = {
      version: 2,
      dependencies: {
        'net6.0': { A: { type: 'Direct', resolved: '1.0.0' }, Lib: { type: 'Project' } },
        'net8.0': { A: { type: 'Direct', resolved: '1.0.0' } },
      },
    };
    const result = await analyzeBytes(
      nugetLockAnalyzer,
      Buffer.from(JSON.stringify(lock)),
      'packages.lock.json',
    );
    expect(ids(result)).toEqual(['A@1.0.0']);
  });
});
