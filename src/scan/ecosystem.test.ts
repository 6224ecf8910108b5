import { describe, expect, it } from 'vitest';
import type { PackageDraft } from '../analyzers/types.js';
import type { OSInfo } from '../core/types.js';
import { ecosystemOf, osEcosystem, purlOf } from './ecosystem.js';

const debian: OSInfo = { family: 'debian', version: '12.5' };

describe('OSV ecosystems of OS packages', () => {
  it.each<[OSInfo, string]>([
    [debian, 'Debian:12'],
    [{ family: 'ubuntu', version: '22.04' }, 'Ubuntu:22.04:LTS'],
    [{ family: 'ubuntu', version: '23.10' }, 'Ubuntu:23.10'],
    [{ family: 'alpine', version: '3.20.1' }, 'Alpine:v3.20'],
    [{ family: 'wolfi', version: '20230201' }, 'Wolfi'],
    [{ family: 'almalinux', version: '9.4' }, 'AlmaLinux:9'],
    [{ family: 'rocky', version: '9.3' }, 'Rocky Linux:9'],
    [{ family: 'opensuse', version: '15.6' }, 'openSUSE:Leap 15.6'],
  ])('%o -> %s', (os, want) => {
    expect(osEcosystem(os)).toBe(want);
  });
});

describe('purls (purl spec)', () => {
  it.each<[PackageDraft, OSInfo | undefined, string]>([
    [
      { type: 'deb', name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64' },
      debian,
      'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
    ],
    [
      { type: 'deb', name: 'zlib1g', version: '1:1.2.13.dfsg-1', arch: 'amd64' },
      debian,
      'pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12',
    ],
    [
      { type: 'apk', name: 'musl', version: '1.2.5-r0', arch: 'x86_64' },
      { family: 'alpine', version: '3.20.1' },
      'pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.1',
    ],
    [
      { type: 'rpm', name: 'curl', version: '1:7.76.1-26.el9', epoch: 1, arch: 'x86_64' },
      { family: 'rocky', version: '9.3' },
      'pkg:rpm/rocky/curl@7.76.1-26.el9?arch=x86_64&distro=rocky-9.3&epoch=1',
    ],
    [
      { type: 'rpm', name: 'bash', version: '5.1.8-6.el9', arch: 'x86_64' },
      { family: 'rhel', version: '9.3' },
      'pkg:rpm/redhat/bash@5.1.8-6.el9?arch=x86_64&distro=rhel-9.3',
    ],
    [
      { type: 'npm', namespace: '@babel', name: 'core', version: '7.24.0' },
      undefined,
      'pkg:npm/%40babel/core@7.24.0',
    ],
    [
      { type: 'golang', namespace: 'github.com/gorilla', name: 'mux', version: 'v1.8.0' },
      undefined,
      'pkg:golang/github.com/gorilla/mux@v1.8.0',
    ],
    [
      { type: 'maven', namespace: 'org.apache.logging.log4j', name: 'log4j-core', version: '2.14.1' },
      undefined,
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    ],
  ])('%o', (draft, os, want) => {
    expect(purlOf(draft, os)).toBe(want);
  });

  it('gives language packages their OSV ecosystem whatever the OS', () => {
    expect(ecosystemOf({ type: 'pypi', name: 'requests', version: '2.31.0' }, debian)).toBe('PyPI');
    expect(ecosystemOf({ type: 'cargo', name: 'serde', version: '1.0.0' }, debian)).toBe('crates.io');
  });
});
