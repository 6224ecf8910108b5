import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseImageTarget } from '../../image/index.js';
import { sbomTargetPath } from './target.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-sbom-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('SBOM targets', () => {
  describe('with the sbom: prefix (as Grype)', () => {
    it('name the file after it, whatever it holds', () => {
      expect(sbomTargetPath('sbom:./bom.json')).toBe('./bom.json');
      expect(sbomTargetPath('sbom:/no/such/file')).toBe('/no/such/file');
    });

    it('need a path', () => {
      expect(() => sbomTargetPath('sbom:')).toThrow('"sbom:": a path is needed after the prefix');
    });

    it('are never taken for an image by other commands (docker.io/library/sbom:bom.json)', () => {
      expect(() => parseImageTarget('sbom:bom.json')).toThrow(/is an SBOM, not an image/);
    });
  });

  describe('as a bare path, recognised by content (as Trivy)', () => {
    it.each([
      ['a CycloneDX BOM by Trivy', fixture('trivy-image.cdx.json')],
      ['an SPDX document by Trivy (tabs, spdxVersion last)', fixture('trivy-centos-7.spdx.json')],
      [
        'a BOM with a byte-order mark and spaces',
        file('bom.json', '\uFEFF  { "bomFormat" : "CycloneDX", "specVersion": "1.6" }'),
      ],
    ])('%s', (_what, path) => {
      expect(sbomTargetPath(path)).toBe(path);
    });

    it.each([
      ['other JSON', file('package.json', '{"name": "x", "bomFormat": 1}')],
      ['a JSON array', file('list.json', '[{"bomFormat": "CycloneDX"}]')],
      [
        'a directory',
        (() => {
          const d = join(dir, 'root');
          mkdirSync(d);
          return d;
        })(),
      ],
      ['a missing path', join(dir, 'missing.json')],
      ['an image reference', 'alpine:3.19'],
    ])('not %s', (_what, path) => {
      expect(sbomTargetPath(path)).toBeUndefined();
    });
  });
});
