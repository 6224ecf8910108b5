import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, meta } from '../shared/test-support.js';
import { gemspecAnalyzer } from './index.js';

const DIR = 'usr/share/rubygems-integration/all/specifications';

describe('lang/gemspec analyzer', () => {
  it.each([
    [`${DIR}/rack-2.2.22.gemspec`, true],
    ['usr/local/bundle/specifications/rails-7.1.0.gemspec', true],
    ['usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec', false],
    ['app/myapp.gemspec', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(gemspecAnalyzer.required(meta(path))).toBe(want);
  });

  it.each([
    ['rack-2.2.22.gemspec', 'rack', '2.2.22'],
    ['public_suffix-4.0.6.gemspec', 'public_suffix', '4.0.6'],
  ])('reads the real Debian %s', async (file, name, version) => {
    const path = `${DIR}/${file}`;
    const result = await analyzeFixture(
      gemspecAnalyzer,
      new URL(`./fixtures/${file}`, import.meta.url),
      path,
    );
    expect(result.packages).toEqual([{ type: 'gem', name, version, licenses: ['MIT'], path }]);
  });

  it('reads %q{} strings, a single license and Gem::Version objects', async () => {
    const body = [
      'Gem::Specification.new do |spec|',
      '  spec.name = %q{old-gem}',
      '  spec.version = Gem::Version.new("0.9.1")',
      "  spec.license = 'Ruby'",
      'end',
    ].join('\n');
    const result = await analyzeBytes(
      gemspecAnalyzer,
      Buffer.from(body),
      'specifications/old-gem-0.9.1.gemspec',
    );
    expect(result.packages?.[0]).toMatchObject({ name: 'old-gem', version: '0.9.1', licenses: ['Ruby'] });
  });

  it('reports a gemspec without a version in errors[]', async () => {
    const result = await analyzeBytes(
      gemspecAnalyzer,
      Buffer.from('s.name = "x"\n'),
      'specifications/x.gemspec',
    );
    expect(result.errors).toEqual(['gemspec has no name or version']);
  });
});
