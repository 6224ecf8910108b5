import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveOS } from '../analyzers/os/release/index.js';
import type { OSInfo } from '../core/types.js';
import { applicableEcosystems, ecosystemApplies, osEcosystem } from './os-ecosystem.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/os-release/${name}`, import.meta.url), 'utf8');

describe('the OSV ecosystem of a detected OS', () => {
  describe('from real os-release files, spelled as OSV spells it', () => {
    it.each([
      ['debian-12', 'Debian:12'],
      ['ubuntu-22.04', 'Ubuntu:22.04:LTS'],
      ['alpine-3.15.4', 'Alpine:v3.15'],
      ['rocky-9.3', 'Rocky Linux:9'],
      ['almalinux-9.4', 'AlmaLinux:9'],
      ['rhel-9.4', 'Red Hat:enterprise_linux:9'],
      ['centos-7', 'Red Hat:enterprise_linux:7'],
      ['sles-15-sp3', 'SUSE:Linux Enterprise Server 15 SP3'],
      ['opensuse-leap-15.2.1', 'openSUSE:Leap 15.2'],
      ['opensuse-tumbleweed', 'openSUSE:Tumbleweed'],
      ['photon-4.0', 'Photon OS:4.0'],
      ['wolfi', 'Wolfi'],
      ['chainguard', 'Chainguard'],
    ])('%s -> %s', (file, want) => {
      const os = resolveOS(new Map([['etc/os-release', fixture(file)]]));
      expect(os).toBeDefined();
      expect(osEcosystem(os!)).toBe(want);
    });
  });

  it.each<[OSInfo, string | undefined]>([
    [{ family: 'debian', version: '12.5' }, 'Debian:12'],
    [{ family: 'debian', version: 'trixie/sid' }, 'Debian'],
    [{ family: 'ubuntu', version: '23.10' }, 'Ubuntu:23.10'],
    [{ family: 'ubuntu', version: '24.04' }, 'Ubuntu:24.04:LTS'],
    [{ family: 'alpine', version: '3.21.0_alpha20240807' }, 'Alpine:v3.21'],
    [{ family: 'rhel', version: '10.1' }, 'Red Hat:enterprise_linux:10.1'],
    [{ family: 'rhel', version: '10' }, 'Red Hat:enterprise_linux:10.0'],
    [{ family: 'suse', version: '15' }, 'SUSE:Linux Enterprise Server 15'],
    [{ family: 'suse', version: '15.5' }, 'SUSE:Linux Enterprise Server 15 SP5'],
    [{ family: 'suse', version: '16.0' }, 'SUSE:Linux Enterprise Server 16.0'],
    [{ family: 'photon', version: '5' }, 'Photon OS:5.0'],
    [{ family: 'unknown', version: '1' }, undefined],
    [{ family: 'distroless', version: '' }, undefined],
  ])('%o -> %s', (os, want) => expect(osEcosystem(os)).toBe(want));
});

describe('which database ecosystems apply to a scanned ecosystem', () => {
  it.each([
    ['Ubuntu:22.04:LTS', 'Ubuntu:22.04:LTS', true],
    ['Ubuntu:22.04:LTS', 'Ubuntu:Pro:22.04:LTS', true],
    ['Ubuntu:22.04:LTS', 'Ubuntu:Pro:20.04:LTS', false],
    ['Ubuntu:22.04:LTS', 'Ubuntu:Pro:FIPS:22.04:LTS', false],
    ['Ubuntu:22.04:LTS', 'Ubuntu:24.04:LTS', false],
    ['Ubuntu:23.10', 'Ubuntu:Pro:23.10', false],
    ['Red Hat:enterprise_linux:9', 'Red Hat:enterprise_linux:9::appstream', true],
    ['Red Hat:enterprise_linux:9', 'Red Hat:enterprise_linux:9::baseos', true],
    ['Red Hat:enterprise_linux:9', 'Red Hat:enterprise_linux:8::baseos', false],
    ['Red Hat:enterprise_linux:9', 'Red Hat:rhel_eus:9.4::baseos', false],
    ['Red Hat:enterprise_linux:10.1', 'Red Hat:enterprise_linux:10.1', true],
    ['Red Hat:enterprise_linux:10.1', 'Red Hat:enterprise_linux:10.0', false],
    ['SUSE:Linux Enterprise Server 15 SP5', 'SUSE:Linux Enterprise Module for Basesystem 15 SP5', true],
    ['SUSE:Linux Enterprise Server 15 SP5', 'SUSE:Linux Enterprise Server 15 SP5-LTSS', true],
    ['SUSE:Linux Enterprise Server 15 SP5', 'SUSE:Linux Enterprise Server 15 SP4', false],
    ['SUSE:Linux Enterprise Server 15 SP5', 'SUSE:Linux Enterprise Micro 5.5', false],
    ['SUSE:Linux Enterprise Server 15', 'SUSE:Linux Enterprise Server 15 SP1', false],
    ['Rocky Linux:9', 'Rocky Linux:8', false],
    ['Debian:12', 'Debian:12', true],
    ['Debian:12', 'Debian:11', false],
  ])('%s <- %s: %s', (scan, db, want) => expect(ecosystemApplies(scan, db)).toBe(want));

  it('lists the package ecosystem first, then the related ones of the database', () => {
    const known = ['Ubuntu:Pro:22.04:LTS', 'Ubuntu:22.04:LTS', 'Ubuntu:Pro:20.04:LTS', 'Debian:12'];
    expect(applicableEcosystems('Ubuntu:22.04:LTS', known)).toEqual([
      'Ubuntu:22.04:LTS',
      'Ubuntu:Pro:22.04:LTS',
    ]);
  });
});
