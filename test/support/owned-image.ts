import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFixture } from './cache.js';
import { debootstrapRootfs } from './debian-image.js';
import { run } from './exec.js';
import { buildLayered } from './layered-image.js';

/** `urllib3 1.26.12` as pip writes it into /usr/local: the same upstream version, no OS package owns it. */
const PIP_METADATA = 'Metadata-Version: 2.1\nName: urllib3\nVersion: 1.26.12\nSummary: HTTP library\n';

export interface OwnedImage {
  readonly layout: string;
  readonly tag: string;
}

/**
 * A real Debian 12 image in which dpkg itself installed Debian's python3-urllib3 (its dependency
 * python3 left out with --force-depends: the postinst byte-compiles only when py3compile exists,
 * so `dpkg -i` in the chroot completes and writes status, info/*.list and md5sums as in any
 * Debian image), plus a pip-style copy of the same urllib3 version under
 * /usr/local that no OS package owns. Built once (debootstrap root + `apt-get download`), cached.
 *   1. debootstrap --variant=minbase bookworm
 *   2. dpkg -i python3-urllib3
 *   3. pip's urllib3-1.26.12.dist-info under /usr/local/lib/python3.11/dist-packages
 */
export function ownedPythonImage(): Promise<OwnedImage> {
  return ensureFixture('debian-python3-urllib3', async (dir) => {
    const base = await debootstrapRootfs();
    const debs = join(dir, 'debs');
    mkdirSync(debs, { recursive: true });
    await run('apt-get', ['download', '-q', 'python3-urllib3'], { cwd: debs });
    await buildLayered(dir, [
      {
        createdBy: 'debootstrap --variant=minbase bookworm',
        apply: async (rootfs) => {
          rmSync(rootfs, { recursive: true, force: true });
          await run('cp', ['-a', base, rootfs]);
        },
      },
      {
        createdBy: 'dpkg -i python3-urllib3',
        apply: async (rootfs) => {
          mkdirSync(join(rootfs, 'tmp/debs'), { recursive: true });
          for (const f of readdirSync(debs)) cpSync(join(debs, f), join(rootfs, 'tmp/debs', f));
          await run('chroot', [rootfs, 'sh', '-c', 'dpkg --force-depends -i /tmp/debs/*.deb']);
          rmSync(join(rootfs, 'tmp/debs'), { recursive: true, force: true });
        },
      },
      {
        createdBy: 'pip install urllib3==1.26.12',
        apply: async (rootfs) => {
          const info = join(rootfs, 'usr/local/lib/python3.11/dist-packages/urllib3-1.26.12.dist-info');
          mkdirSync(info, { recursive: true });
          writeFileSync(join(info, 'METADATA'), PIP_METADATA);
        },
      },
    ]);
  }).then((dir) => ({ layout: join(dir, 'layout'), tag: 'latest' }));
}
