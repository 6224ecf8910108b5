import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, meta } from '../shared/test-support.js';
import { pythonAnalyzer } from './index.js';

describe('lang/python analyzer', () => {
  describe('required()', () => {
    it.each([
      ['usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA', true],
      ['usr/local/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA', true],
      ['usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO', true],
      ['usr/lib/python3/dist-packages/python_apt-2.6.0.egg-info', true],
      ['site-packages/foo-1.0-py3.11.egg/EGG-INFO/PKG-INFO', true],
      ['usr/lib/python3/dist-packages/six-1.16.0.dist-info/RECORD', false],
      ['usr/lib/python3/dist-packages/six-1.16.0.egg-info/top_level.txt', false],
      ['src/METADATA', false],
    ])('%s -> %s', (path, want) => {
      expect(pythonAnalyzer.required(meta(path))).toBe(want);
    });
  });

  describe('analyze() on real installed metadata', () => {
    it.each([
      ['six-1.16.0.egg-info/PKG-INFO', 'six', '1.16.0', ['MIT'], undefined],
      ['PyYAML-6.0.dist-info/METADATA', 'pyyaml', '6.0', ['MIT'], undefined],
      ['attrs-23.2.0.dist-info/METADATA', 'attrs', '23.2.0', ['MIT'], undefined],
    ])('%s -> %s %s', async (file, name, version, licenses, osvName) => {
      const path = `usr/lib/python3/dist-packages/${file}`;
      const result = await analyzeFixture(
        pythonAnalyzer,
        new URL(`./fixtures/${file}`, import.meta.url),
        path,
      );
      expect(result.packages).toEqual([
        { type: 'pypi', name, version, licenses, path, ...(osvName ? { extra: { osvName } } : {}) },
      ]);
    });
  });

  it('takes licenses from classifiers when the License field is absent', async () => {
    const body = [
      'Metadata-Version: 2.1',
      'Name: Foo_Bar',
      'Version: 1.0',
      'Classifier: License :: OSI Approved :: Apache Software License',
      '',
      'License: not a header, the body',
    ].join('\n');
    const result = await analyzeBytes(pythonAnalyzer, Buffer.from(body), 'x/Foo_Bar-1.0.dist-info/METADATA');
    expect(result.packages?.[0]?.extra).toBeUndefined();
    expect(result.packages?.[0]).toMatchObject({
      name: 'foo-bar',
      licenses: ['Apache Software License'],
    });
  });

  it('keeps dots in the purl name and folds them for OSV', async () => {
    const body = 'Name: jw.util\nVersion: 1.3\n';
    const result = await analyzeBytes(pythonAnalyzer, Buffer.from(body), 'x/jw.util-1.3.dist-info/METADATA');
    expect(result.packages?.[0]).toMatchObject({ name: 'jw.util', extra: { osvName: 'jw-util' } });
  });

  it('reports metadata without a version in errors[]', async () => {
    const result = await analyzeBytes(pythonAnalyzer, Buffer.from('Name: x\n'), 'x.egg-info');
    expect(result.packages).toEqual([]);
    expect(result.errors).toEqual(['Python metadata has no Name or Version']);
  });
});
