import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { goModAnalyzer } from './index.js';

describe('lang/go-mod analyzer', () => {
  it.each([
    ['go.mod', true],
    ['src/app/go.mod', true],
    ['src/app/vendor/github.com/x/y/go.mod', false],
    ['src/app/go.sum', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(goModAnalyzer.required(meta(path))).toBe(want);
  });

  it('reads the real go.mod behind the fxapp binary: same modules as the binary', async () => {
    const result = await analyzeFixture(
      goModAnalyzer,
      new URL('./fixtures/go.mod', import.meta.url),
      'go.mod',
    );
    expect(ids(result)).toEqual([
      'example.com/dep@0.0.0',
      'github.com/google/uuid@1.6.0',
      'golang.org/x/text@0.14.0',
    ]);
    expect(result.packages?.[0]?.extra).toEqual({ osvName: 'example.com/dep', replacedBy: './dep' });
  });

  it('applies replacements, keeps // indirect, and reads single-line requires', async () => {
    const body = [
      'module example.com/m',
      '',
      'go 1.21',
      'require golang.org/x/net v0.17.0 // indirect',
      'require (',
      '\t"github.com/a/b" v1.0.0',
      '\tgithub.com/old/c v1.1.0',
      '\tgopkg.in/yaml.v3 v3.0.1 // indirect',
      ')',
      'replace github.com/old/c v1.1.0 => github.com/new/c v1.2.0',
      'exclude github.com/a/b v0.9.0',
    ].join('\n');
    const result = await analyzeBytes(goModAnalyzer, Buffer.from(body), 'go.mod');
    expect(ids(result)).toEqual([
      'github.com/a/b@1.0.0',
      'github.com/new/c@1.2.0',
      'golang.org/x/net@0.17.0',
      'gopkg.in/yaml.v3@3.0.1',
    ]);
    expect(result.packages?.find((p) => p.name === 'net')?.extra).toEqual({
      osvName: 'golang.org/x/net',
      indirect: true,
    });
  });

  it.each([
    ['an unclosed block', 'module m\nrequire (\n\tgithub.com/a/b v1.0.0\n'],
    ['a require without version', 'module m\nrequire github.com/a/b\n'],
  ])('reports %s in errors[]', async (_, body) => {
    const result = await analyzeBytes(goModAnalyzer, Buffer.from(body), 'go.mod');
    expect(result.packages).toEqual([]);
    expect(result.errors?.[0]).toMatch(/^go\.mod/);
  });
});
