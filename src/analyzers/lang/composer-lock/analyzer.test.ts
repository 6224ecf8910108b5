import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { composerLockAnalyzer } from './index.js';

describe('lang/composer-lock analyzer', () => {
  it.each([
    ['composer.lock', true],
    ['var/www/composer.lock', true],
    ['var/www/composer.json', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(composerLockAnalyzer.required(meta(path))).toBe(want);
  });

  it('reads a real composer.lock: packages-dev are dev', async () => {
    const fixture = new URL('./fixtures/composer.lock', import.meta.url);
    const result = await analyzeFixture(composerLockAnalyzer, fixture, 'composer.lock');
    expect(ids(result)).toEqual(['phpunit/phpunit@10.5.0 (dev)', 'psr/log@3.0.0', 'ramsey/uuid@4.7.5']);
  });

  it('reports a truncated file in errors[]', async () => {
    const result = await analyzeBytes(composerLockAnalyzer, Buffer.from('{"packages": [{'), 'composer.lock');
    expect(result.errors?.[0]).toMatch(/^invalid JSON in composer\.lock/);
  });
});
