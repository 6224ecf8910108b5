import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { composerAnalyzer } from './index.js';

describe('lang/composer analyzer', () => {
  it.each([
    ['var/www/vendor/composer/installed.json', true],
    ['vendor/composer/installed.json', true],
    ['var/www/vendor/composer/installed.php', false],
    ['var/www/composer.json', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(composerAnalyzer.required(meta(path))).toBe(want);
  });

  it('reads a real Composer 2 installed.json: dev-package-names are dev, `v` dropped from versions', async () => {
    const fixture = new URL('./fixtures/installed-v2.json', import.meta.url);
    const result = await analyzeFixture(composerAnalyzer, fixture, 'vendor/composer/installed.json');
    expect(ids(result)).toEqual(['phpunit/phpunit@10.5.0 (dev)', 'psr/log@3.0.0', 'ramsey/uuid@4.7.5']);
    expect(result.packages?.[2]).toMatchObject({ licenses: ['MIT'], extra: { osvName: 'ramsey/uuid' } });
  });

  it('reads the Composer 1 format (a plain list)', async () => {
    const v1 = [{ name: 'monolog/monolog', version: '1.25.1', license: ['MIT'] }];
    const result = await analyzeBytes(
      composerAnalyzer,
      Buffer.from(JSON.stringify(v1)),
      'vendor/composer/installed.json',
    );
    expect(ids(result)).toEqual(['monolog/monolog@1.25.1']);
  });

  it.each([
    ['not JSON', '{"packages": ['],
    ['a JSON string', '"x"'],
  ])('reports %s in errors[]', async (_, body) => {
    const result = await analyzeBytes(composerAnalyzer, Buffer.from(body), 'vendor/composer/installed.json');
    expect(result.errors).toHaveLength(1);
  });
});
