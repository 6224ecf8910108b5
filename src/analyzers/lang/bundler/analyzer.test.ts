import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { bundlerAnalyzer } from './index.js';

describe('lang/bundler analyzer', () => {
  it.each([
    ['Gemfile.lock', true],
    ['app/Gemfile.lock', true],
    ['app/gems.locked', true],
    ['app/Gemfile', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(bundlerAnalyzer.required(meta(path))).toBe(want);
  });

  it('reads a real Gemfile.lock written by Bundler', async () => {
    const fixture = new URL('./fixtures/Gemfile.lock', import.meta.url);
    const result = await analyzeFixture(bundlerAnalyzer, fixture, 'app/Gemfile.lock');
    expect(ids(result)).toEqual(['addressable@2.8.1', 'public_suffix@4.0.6', 'rack@2.2.22']);
  });

  it('keeps GIT gems, skips PATH gems and dependency lines, splits platforms', async () => {
    const body = [
      'GIT',
      '  remote: https://github.com/nahi/httpclient.git',
      '  revision: d57cc6d5ffee1b566b5c189fe6dc8cc89570b812',
      '  specs:',
      '    httpclient (2.8.3)',
      '',
      'PATH',
      '  remote: .',
      '  specs:',
      '    rails (8.0.0.alpha)',
      '      actioncable (= 8.0.0.alpha)',
      '',
      'GEM',
      '  remote: https://rubygems.org/',
      '  specs:',
      '    nokogiri (1.16.7-x86_64-linux)',
      '      racc (~> 1.4)',
      '',
      'PLATFORMS',
      '  x86_64-linux',
      '',
      'DEPENDENCIES',
      '  rails!',
    ].join('\n');
    const result = await analyzeBytes(bundlerAnalyzer, Buffer.from(body), 'Gemfile.lock');
    expect(ids(result)).toEqual(['httpclient@2.8.3', 'nokogiri@1.16.7']);
    expect(result.packages?.[1]?.extra).toEqual({ platform: 'x86_64-linux' });
  });
});
