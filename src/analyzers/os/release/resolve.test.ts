import { describe, expect, it } from 'vitest';
import { osReleaseAnalyzer, resolveOS } from './index.js';

/** os-release files as the distributions ship them (trimmed to the fields that matter). */
const OS_RELEASE: [string, string, Record<string, string>, object][] = [
  [
    'Debian 12',
    'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
    { 'etc/debian_version': '12.5\n' },
    { family: 'debian', version: '12.5' },
  ],
  [
    'Debian sid',
    'ID=debian\nPRETTY_NAME="Debian GNU/Linux trixie/sid"',
    { 'etc/debian_version': 'trixie/sid\n' },
    { family: 'debian', version: 'trixie/sid' },
  ],
  [
    'distroless',
    'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Distroless"',
    { 'etc/debian_version': '12.4' },
    { family: 'debian', version: '12.4', distroless: true },
  ],
  [
    'Ubuntu 22.04',
    'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"',
    { 'etc/debian_version': 'bookworm/sid' },
    { family: 'ubuntu', version: '22.04' },
  ],
  [
    'Alpine',
    'ID=alpine\nVERSION_ID=3.20.1\nPRETTY_NAME="Alpine Linux v3.20"',
    { 'etc/alpine-release': '3.20.1\n' },
    { family: 'alpine', version: '3.20.1' },
  ],
  ['RHEL 9', 'ID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.3"', {}, { family: 'rhel', version: '9.3' }],
  ['CentOS 7', 'ID="centos"\nVERSION_ID="7"', {}, { family: 'centos', version: '7' }],
  ['Rocky 9', 'ID="rocky"\nVERSION_ID="9.3"', {}, { family: 'rocky', version: '9.3' }],
  ['AlmaLinux 9', 'ID="almalinux"\nVERSION_ID="9.4"', {}, { family: 'almalinux', version: '9.4' }],
  ['Fedora 40', 'ID=fedora\nVERSION_ID=40', {}, { family: 'fedora', version: '40' }],
  ['Amazon Linux 2023', 'ID="amzn"\nVERSION_ID="2023"', {}, { family: 'amazon', version: '2023' }],
  ['Oracle Linux 9', 'ID="ol"\nVERSION_ID="9.4"', {}, { family: 'oracle', version: '9.4' }],
  ['SLES 15 SP5', 'ID="sles"\nVERSION_ID="15.5"', {}, { family: 'suse', version: '15.5' }],
  ['openSUSE Leap', 'ID="opensuse-leap"\nVERSION_ID="15.6"', {}, { family: 'opensuse', version: '15.6' }],
  ['Photon 5', 'ID=photon\nVERSION_ID=5.0', {}, { family: 'photon', version: '5.0' }],
  ['Wolfi', 'ID=wolfi\nVERSION_ID=20230201', {}, { family: 'wolfi', version: '20230201' }],
  ['Chainguard', 'ID=chainguard\nVERSION_ID=20230214', {}, { family: 'chainguard', version: '20230214' }],
  ['CBL-Mariner 2', 'ID=mariner\nVERSION_ID="2.0"', {}, { family: 'mariner', version: '2.0' }],
];

describe('OS detection', () => {
  it.each(OS_RELEASE)('%s', (_name, osRelease, others, want) => {
    const files = new Map(Object.entries({ 'etc/os-release': osRelease, ...others }));
    expect(resolveOS(files)).toMatchObject(want);
  });

  it('prefers etc/os-release and falls back to usr/lib/os-release', () => {
    expect(resolveOS(new Map([['usr/lib/os-release', 'ID=fedora\nVERSION_ID=39']]))).toMatchObject({
      family: 'fedora',
      version: '39',
    });
  });

  it.each([
    ['etc/alpine-release', '3.18.4\n', { family: 'alpine', version: '3.18.4' }],
    [
      'etc/centos-release',
      'CentOS Linux release 7.9.2009 (Core)\n',
      { family: 'centos', version: '7.9.2009' },
    ],
    [
      'etc/redhat-release',
      'Red Hat Enterprise Linux release 8.9 (Ootpa)\n',
      { family: 'rhel', version: '8.9' },
    ],
    ['etc/system-release', 'Amazon Linux release 2 (Karoo)\n', { family: 'amazon', version: '2' }],
    ['etc/debian_version', '11.9\n', { family: 'debian', version: '11.9' }],
  ])('without os-release, reads %s', (path, text, want) => {
    expect(resolveOS(new Map([[path, text]]))).toMatchObject(want);
  });

  it('knows nothing from nothing', () => {
    expect(resolveOS(new Map())).toBeUndefined();
  });

  it.each([
    ['etc/os-release', true],
    ['usr/lib/os-release', true],
    ['etc/debian_version', true],
    ['opt/etc/os-release', false],
    ['etc/os-release.d/x', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(osReleaseAnalyzer.required({ path, size: 100, mode: 0o644 })).toBe(want);
  });
});
