import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SbomError } from './errors.js';
import { sbomInventory } from './inventory.js';
import { MAX_NESTING, sbomByteLimit } from './limits.js';
import { decodeSbom, readSbomFile } from './read.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'strata-sbom-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const bom = (components: unknown[], extra: object = {}) => ({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  components,
  ...extra,
});

describe('reading SBOM documents', () => {
  describe('a CycloneDX BOM written by Trivy', () => {
    const doc = readSbomFile(fixture('trivy-image.cdx.json'));
    const inv = sbomInventory(doc);

    it('describes the image of metadata.component', () => {
      expect(doc).toMatchObject({ format: 'cyclonedx', specVersion: '1.5' });
      expect(doc.subject).toEqual({ container: true, name: 'maven-test-project' });
    });

    it('takes the OS from the operating-system component', () => {
      expect(inv.os).toEqual({ family: 'alpine', version: '3.16.0' });
    });

    it('lists every library as a package, lockfile groups as their path', () => {
      expect(inv.packages.map((p) => [p.name, p.version, p.ecosystem, p.path])).toEqual([
        ['musl', '1.2.3-r0', 'Alpine:v3.16', ''],
        ['org.codehaus.mojo:child-project', '1.0', 'Maven', 'app/maven/target/child-project-1.0.jar'],
        ['bootstrap', '5.0.2', 'npm', 'app/app/package.json'],
        ['pear/log', '1.13.1', 'Packagist', 'app/composer/composer.lock'],
        ['pear/pear_exception', '1.0.0', 'Packagist', 'app/composer/composer.lock'],
        [
          'github.com/package-url/packageurl-go',
          '0.1.1-0.20220203205134-d70459300c8a',
          'Go',
          'app/gobinary/gobinary',
        ],
      ]);
      expect(inv.noPurl).toBeUndefined();
    });
  });

  describe('an SPDX 2.2 document written by Trivy', () => {
    const doc = readSbomFile(fixture('trivy-centos-7.spdx.json'));
    const inv = sbomInventory(doc);

    it('describes the image the document DESCRIBES, and knows the OS by its SPDXID', () => {
      expect(doc.subject).toEqual({
        container: true,
        name: 'integration/testdata/fixtures/images/centos-7.tar.gz',
      });
      expect(inv.os).toEqual({ family: 'centos', version: '7.6.1810' });
    });

    it('reads rpm versions with the epoch of the purl (the purl wins over versionInfo)', () => {
      expect(inv.packages.map((p) => [p.name, p.version, p.ecosystem, p.source?.name])).toEqual([
        ['bash', '4.2.46-31.el7', 'Red Hat:enterprise_linux:7', 'bash'],
        ['openssl-libs', '1:1.0.2k-16.el7', 'Red Hat:enterprise_linux:7', 'openssl-libs'],
      ]);
      expect(inv.packages[0]?.layer).toBe(
        'sha256:ac9208207adaac3a48e54a4dc6b49c69e78c3072d2b3add7efdabf814db2133b',
      );
    });
  });

  describe('a CycloneDX BOM written by Syft', () => {
    it('skips the component whose purl is none, naming it', () => {
      const inv = sbomInventory(readSbomFile(fixture('syft-image.cdx.json')));
      expect(inv.packages.map((p) => [p.name, p.ecosystem, p.path])).toEqual([
        ['package-2', 'Debian:1', 'somefile-2.txt'],
      ]);
      expect(inv.badPurl).toEqual({ count: 1, first: 'components[0].purl "a-purl-1"' });
    });
  });

  describe('nested components', () => {
    it('are flattened in document order, metadata.component’s included', () => {
      const doc = decodeSbom(
        bom(
          [
            {
              type: 'library',
              name: 'app',
              purl: 'pkg:maven/o/app@1',
              components: [{ name: 'dep', purl: 'pkg:maven/o/dep@2' }],
            },
          ],
          {
            metadata: {
              component: {
                type: 'application',
                name: 'root',
                components: [{ name: 'r', purl: 'pkg:npm/r@3' }],
              },
            },
          },
        ),
        'x.json',
      );
      expect(doc.entries.map((e) => [e.field, e.name])).toEqual([
        ['metadata.component.components[0]', 'r'],
        ['components[0]', 'app'],
        ['components[0].components[0]', 'dep'],
      ]);
      expect(doc.subject).toEqual({ container: false, name: 'root' });
    });

    it(`deeper than ${MAX_NESTING} levels are refused, naming the field`, () => {
      // built as text: JSON.stringify itself recurses, JSON.parse does not
      const n = 100_000;
      const nested = `${'{"name":"n","components":['.repeat(n)}{"name":"leaf"}${']}'.repeat(n)}`;
      const path = write(
        'deep.json',
        `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[${nested}]}`,
      );
      expect(() => readSbomFile(path)).toThrow(SbomError);
      expect(() => readSbomFile(path)).toThrow(
        /: components\[0\](\.components\[0\]){31}\.components: components nested deeper than 32 levels$/,
      );
    });
  });

  describe('language packages an OS package installed', () => {
    const urllib3 = 'pkg:pypi/urllib3@1.26.12';
    const deb = 'pkg:deb/debian/python3-urllib3@1.26.12-1%2Bdeb12u1?arch=all&distro=debian-12';

    it("are owned through Strata's strata:ownedBy property (the OS package's purl)", () => {
      const inv = sbomInventory(
        decodeSbom(
          bom([
            { name: 'python3-urllib3', version: '1.26.12-1+deb12u1', purl: deb },
            {
              name: 'urllib3',
              version: '1.26.12',
              purl: urllib3,
              properties: [{ name: 'strata:ownedBy', value: deb }],
            },
            { name: 'requests', version: '2.28.1', purl: 'pkg:pypi/requests@2.28.1' },
          ]),
          'F',
        ),
      );
      expect(inv.packages.map((p) => [p.name, p.ownedBy])).toEqual([
        ['python3-urllib3', undefined],
        ['urllib3', { type: 'deb', name: 'python3-urllib3', version: '1.26.12-1+deb12u1', purl: deb }],
        ['requests', undefined],
      ]);
    });

    it("are owned through Syft's SPDX ownership-by-file-overlap relationship", () => {
      const pkgOf = (id: string, name: string, purl: string) => ({
        SPDXID: id,
        name,
        externalRefs: [
          { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl },
        ],
      });
      const inv = sbomInventory(
        decodeSbom(
          {
            spdxVersion: 'SPDX-2.3',
            packages: [pkgOf('SPDXRef-deb', 'python3-urllib3', deb), pkgOf('SPDXRef-py', 'urllib3', urllib3)],
            relationships: [
              {
                spdxElementId: 'SPDXRef-deb',
                relatedSpdxElement: 'SPDXRef-py',
                relationshipType: 'OTHER',
                comment:
                  'ownership-by-file-overlap: indicates that the parent package claims ownership of a child package',
              },
            ],
          },
          'F',
        ),
      );
      expect(inv.packages.find((p) => p.name === 'urllib3')?.ownedBy?.name).toBe('python3-urllib3');
    });
  });

  describe('malformed documents are one error naming the file and the field', () => {
    it.each([
      [bom([{ name: 'a', purl: 5 }]), /^F: components\[0\]\.purl: expected string, got number$/],
      [
        bom([{ name: 'a', properties: [{ name: 'x', value: 1 }] }]),
        /^F: components\[0\]\.properties\[0\]\.value: expected string, got number$/,
      ],
      [bom(['a']), /^F: components\[0\]: expected object, got string$/],
      [{ bomFormat: 'CycloneDX', specVersion: '2.0' }, /^F: specVersion: expected a CycloneDX 1\.x version$/],
      [
        { bomFormat: 'CycloneDX', specVersion: '1.5', components: {} },
        /^F: components: expected array, got object$/,
      ],
      [
        { spdxVersion: 'SPDX-2.3', packages: [{ name: 'x' }] },
        /^F: packages\[0\]\.SPDXID: expected string, got undefined$/,
      ],
      [
        {
          spdxVersion: 'SPDX-2.3',
          packages: [{ SPDXID: 'a', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER' }] }],
        },
        /^F: packages\[0\]\.externalRefs\[0\]\.referenceType: expected string/,
      ],
      [{ spdxVersion: 'SPDX-3.0' }, /^F: spdxVersion: expected SPDX-2\.x/],
      [{ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld' }, /^F: SPDX 3 JSON-LD is not read/],
      [{ hello: 'world' }, /^F: neither a CycloneDX JSON BOM/],
      [[1, 2], /^F: neither a CycloneDX JSON BOM/],
    ])('%j', (value, message) => {
      expect(() => decodeSbom(value, 'F')).toThrow(message);
    });

    it.each([
      [
        'bom.xml',
        '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5">',
        /CycloneDX XML is not read/,
      ],
      ['bom.spdx', 'SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n', /SPDX tag-value is not read/],
      ['bom.json', '{"bomFormat": "CycloneDX", ', /bom\.json: not valid JSON/],
    ])('%s', (name, text, message) => {
      expect(() => readSbomFile(write(name, text))).toThrow(message);
    });
  });

  describe('the byte cap', () => {
    it('follows the heap: 512 MiB at most, less under a small heap, never under 1 MiB', () => {
      const MiB = 1024 * 1024;
      expect(sbomByteLimit(64 * 1024 * MiB)).toBe(512 * MiB);
      expect(sbomByteLimit(512 * MiB)).toBe(Math.floor((464 * MiB) / 20));
      expect(sbomByteLimit(16 * MiB)).toBe(MiB);
    });
  });
});
