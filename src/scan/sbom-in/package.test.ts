import { describe, expect, it } from 'vitest';
import type { OSInfo } from '../../core/types.js';
import { parseDistro } from './distro.js';
import { entryToPackage } from './package.js';
import type { SbomEntry } from './types.js';

const props = (...pairs: [string, string][]) => {
  const out = new Map<string, string[]>();
  for (const [k, v] of pairs) out.set(k, [...(out.get(k) ?? []), v]);
  return out;
};

function entry(purl: string | undefined, extra: Partial<SbomEntry> = {}): SbomEntry {
  return { field: 'components[0]', props: new Map(), licenses: [], ...(purl ? { purl } : {}), ...extra };
}

function pkg(purl: string, extra: Partial<SbomEntry> = {}, os?: OSInfo) {
  const out = entryToPackage(entry(purl, extra), os ? { os } : {});
  if (out.kind !== 'package') throw new Error(`not a package: ${out.kind}`);
  return out.pkg;
}

describe('SBOM entries as packages', () => {
  describe('the OSV ecosystem, name and version from the purl', () => {
    it.each([
      [
        'pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12',
        'openssl',
        '3.0.11-1~deb12u2',
        'Debian:12',
      ],
      [
        'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12.5',
        'libc6',
        '2.36-9+deb12u4',
        'Debian:12',
      ],
      [
        'pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.15?distro=ubuntu-22.04',
        'libssl3',
        '3.0.2-0ubuntu1.15',
        'Ubuntu:22.04:LTS',
      ],
      [
        'pkg:deb/debian/zlib1g@1.2.13.dfsg-1?epoch=1&distro=debian-12',
        'zlib1g',
        '1:1.2.13.dfsg-1',
        'Debian:12',
      ],
      ['pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?distro=debian-12', 'zlib1g', '1:1.2.13.dfsg-1', 'Debian:12'],
      ['pkg:apk/alpine/musl@1.2.3-r0?distro=3.16.0', 'musl', '1.2.3-r0', 'Alpine:v3.16'],
      ['pkg:apk/alpine/busybox@1.36.1-r15?distro=alpine-3.19.1', 'busybox', '1.36.1-r15', 'Alpine:v3.19'],
      ['pkg:apk/wolfi/glibc@2.39-r1?distro=wolfi-20230201', 'glibc', '2.39-r1', 'Wolfi'],
      [
        'pkg:rpm/redhat/openssl-libs@3.0.7-25.el9_3?epoch=1&distro=rhel-9.3',
        'openssl-libs',
        '1:3.0.7-25.el9_3',
        'Red Hat:enterprise_linux:9',
      ],
      ['pkg:rpm/rocky/bash@5.1.8-6.el9_1?distro=rocky-9.3', 'bash', '5.1.8-6.el9_1', 'Rocky Linux:9'],
      [
        'pkg:rpm/opensuse/curl@8.0.1-150400.5.41.1?distro=opensuse-leap-15.5',
        'curl',
        '8.0.1-150400.5.41.1',
        'openSUSE:Leap 15.5',
      ],
      ['pkg:npm/%40babel/core@7.23.0', '@babel/core', '7.23.0', 'npm'],
      ['pkg:golang/github.com/gorilla/mux@v1.8.0', 'github.com/gorilla/mux', '1.8.0', 'Go'],
      ['pkg:golang/stdlib@go1.21.5', 'stdlib', '1.21.5', 'Go'],
      [
        'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
        'org.apache.logging.log4j:log4j-core',
        '2.14.1',
        'Maven',
      ],
      ['pkg:composer/pear/pear_exception@v1.0.0', 'pear/pear_exception', '1.0.0', 'Packagist'],
      ['pkg:gem/rack@2.2.3', 'rack', '2.2.3', 'RubyGems'],
      ['pkg:cargo/smallvec@1.6.0', 'smallvec', '1.6.0', 'crates.io'],
      ['pkg:nuget/Newtonsoft.Json@12.0.1', 'Newtonsoft.Json', '12.0.1', 'NuGet'],
      ['pkg:generic/openssl@3.0.0', 'openssl', '3.0.0', 'generic'],
    ])('%s -> %s %s in %s', (purl, name, version, ecosystem) => {
      expect(pkg(purl)).toMatchObject({ name, version, ecosystem, purl });
    });

    it('takes the release from the operating system when the purl has no distro', () => {
      const debian: OSInfo = { family: 'debian', version: '12.5' };
      expect(pkg('pkg:deb/debian/tar@1.34+dfsg-1.2', {}, debian).ecosystem).toBe('Debian:12');
      expect(pkg('pkg:deb/debian/tar@1.34+dfsg-1.2').ecosystem).toBe('Debian');
    });

    it("keeps the document's spelling of a name when it is the purl's name", () => {
      expect(pkg('pkg:pypi/pyyaml@6.0', { name: 'PyYAML' }).name).toBe('PyYAML');
      expect(pkg('pkg:maven/org.example/lib@1.0', { name: 'lib' }).name).toBe('org.example:lib');
    });

    it('lets Strata’s own strata:ecosystem property win', () => {
      const own = props(['strata:ecosystem', 'Ubuntu:22.04:LTS']);
      expect(pkg('pkg:deb/ubuntu/libssl3@3.0.2?distro=ubuntu-22.04', { props: own }).ecosystem).toBe(
        'Ubuntu:22.04:LTS',
      );
    });
  });

  describe('the source package', () => {
    it.each([
      [
        'Strata properties',
        {
          props: props(
            ['strata:package:sourceName', 'openssl'],
            ['strata:package:sourceVersion', '3.0.11-1'],
          ),
        },
        'pkg:deb/debian/libssl3@3.0.11-1',
        { name: 'openssl', version: '3.0.11-1' },
      ],
      [
        'Trivy rpm properties',
        {
          props: props(
            ['aquasecurity:trivy:SrcName', 'openssl'],
            ['aquasecurity:trivy:SrcVersion', '1.0.2k'],
            ['aquasecurity:trivy:SrcRelease', '16.el7'],
            ['aquasecurity:trivy:SrcEpoch', '1'],
          ),
        },
        'pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?epoch=1',
        { name: 'openssl', version: '1:1.0.2k-16.el7' },
      ],
      [
        'Syft deb upstream',
        {},
        'pkg:deb/debian/libc6@2.36-9?upstream=glibc',
        { name: 'glibc', version: '2.36-9' },
      ],
      [
        'Syft deb upstream with version',
        {},
        'pkg:deb/debian/libc6@2.36-9+b1?upstream=glibc%402.36-9',
        { name: 'glibc', version: '2.36-9' },
      ],
      [
        'Syft rpm upstream',
        {},
        'pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8?epoch=1&upstream=openssl-1.1.1k-7.el8.src.rpm',
        { name: 'openssl', version: '1:1.1.1k-7.el8' },
      ],
      [
        'SPDX sourceInfo',
        { sourceInfo: 'built package from: openssl 3.1.4-r1' },
        'pkg:apk/alpine/libcrypto3@3.1.4-r1',
        { name: 'openssl', version: '3.1.4-r1' },
      ],
    ] as const)('from %s', (_how, extra, purl, source) => {
      expect(pkg(purl, extra as Partial<SbomEntry>).source).toEqual(source);
    });

    it('is left out when nothing names one', () => {
      expect(pkg('pkg:deb/debian/tar@1.34').source).toBeUndefined();
    });
  });

  describe('path and layer', () => {
    it.each([
      ['strata:path', 'var/lib/dpkg/status', 'var/lib/dpkg/status'],
      ['aquasecurity:trivy:FilePath', 'app/package-lock.json', 'app/package-lock.json'],
      [
        'syft:location:0:path',
        '/usr/lib/python3/dist-packages/x/PKG-INFO',
        'usr/lib/python3/dist-packages/x/PKG-INFO',
      ],
    ])('reads %s', (name, value, path) => {
      expect(pkg('pkg:npm/a@1', { props: props([name, value]) }).path).toBe(path);
    });

    it('takes the path of the application group above it, else none', () => {
      expect(entryToPackage(entry('pkg:npm/a@1'), { parentPath: 'app/yarn.lock' })).toMatchObject({
        pkg: { path: 'app/yarn.lock' },
      });
      expect(pkg('pkg:npm/a@1').path).toBe('');
    });

    it('reads the layer digest of Strata and Trivy', () => {
      const layer = `sha256:${'a'.repeat(64)}`;
      expect(pkg('pkg:npm/a@1', { props: props(['aquasecurity:trivy:LayerDigest', layer]) }).layer).toBe(
        layer,
      );
    });
  });

  it('keeps every strata:location of a package found by several files', () => {
    const two = props(
      ['strata:path', 'package-lock.json'],
      ['strata:location', 'node_modules/a/package.json'],
      ['strata:location', 'package-lock.json'],
    );
    expect(pkg('pkg:npm/a@1', { props: two })).toMatchObject({
      path: 'package-lock.json',
      locations: ['node_modules/a/package.json', 'package-lock.json'],
    });
  });

  describe('entries that give no package', () => {
    it.each([
      [entry(undefined, { name: 'x' }), 'no-purl'],
      [entry(undefined, { name: 'x', kind: 'library' }), 'no-purl'],
      [entry(undefined, { name: 'app/yarn.lock', kind: 'application' }), 'not-a-package'],
      [entry(undefined, { name: '/bin/app', kind: 'file' }), 'not-a-package'],
      [entry('a-purl-1'), 'bad-purl'],
      [entry('pkg:oci/alpine@sha256%3Aabc'), 'not-a-package'],
      [entry('pkg:npm/left-pad'), 'no-version'],
    ])('%o: %s', (e, kind) => {
      expect(entryToPackage(e, {}).kind).toBe(kind);
    });
  });
});

describe('purl distro qualifiers', () => {
  it.each([
    ['debian-12', { family: 'debian', version: '12' }],
    ['alpine-3.20.1', { family: 'alpine', version: '3.20.1' }],
    ['opensuse-leap-15.5', { family: 'opensuse', version: '15.5' }],
    ['rhel-9.3', { family: 'rhel', version: '9.3' }],
    ['amzn-2023', { family: 'amazon', version: '2023' }],
    ['3.16.0', { version: '3.16.0' }],
    ['debian', { family: 'debian' }],
    ['plan9-4', { version: '4' }],
  ])('%s', (text, expected) => {
    expect(parseDistro(text)).toEqual(expected);
  });
});
