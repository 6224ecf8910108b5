import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { ensureFixture } from './cache.js';
import { run } from './exec.js';

/**
 * A real multi-layer Debian image, built once per run from Debian's own packages:
 *   1. debootstrap --variant=minbase bookworm
 *   2. dpkg -i: two new packages, and newer versions of packages already installed (an upgrade)
 *   3. dpkg --purge of one of the new packages, rm of a file and of a whole directory (whiteouts)
 *   4. a raw layer that makes usr/share/doc opaque (`.wh..wh..opq`) and adds one file there
 * as an OCI layout (tag `v4`, earlier tags too), and the final root filesystem unpacked by umoci.
 */
export interface DebianImage {
  readonly layout: string;
  readonly tag: string;
  /** the final filesystem (umoci unpack of the last tag) */
  readonly rootfs: string;
  /** `dpkg-query -W` of the final filesystem: name -> `version arch` */
  readonly expected: Record<string, string>;
  readonly installed: readonly string[];
  readonly upgraded: readonly string[];
  readonly purged: string;
}

const NEW_PACKAGES = ['libexpat1', 'libsqlite3-0'];
/** packages in minbase with no dependency beyond libc6: candidates for a clean upgrade */
const UPGRADE_CANDIDATES = [
  'liblzma5',
  'libpcre2-8-0',
  'tzdata',
  'libzstd1',
  'libbz2-1.0',
  'zlib1g',
  'libcap2',
];

export const MIRROR = 'http://deb.debian.org/debian';

async function dpkgQuery(root: string): Promise<Record<string, string>> {
  const out = await run('dpkg-query', [
    `--admindir=${join(root, 'var/lib/dpkg')}`,
    '-W',
    '-f',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
    '${Package}\t${Version}\t${Architecture}\t${db:Status-Abbrev}\n',
  ]);
  const result: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const [name, version, arch, status] = line.split('\t');
    if (name && status?.startsWith('ii')) result[name] = `${version} ${arch}`;
  }
  return result;
}

/** debootstrap minbase bookworm: ~30-130 s depending on the mirror, shared by every test. */
export function debootstrapRootfs(): Promise<string> {
  return ensureFixture('debootstrap-bookworm', async (dir) => {
    await run('debootstrap', ['--variant=minbase', 'bookworm', join(dir, 'rootfs'), MIRROR]);
    // drop apt lists and caches: not part of what we test, and they make every layer larger
    rmSync(join(dir, 'rootfs/var/cache/apt/archives'), { recursive: true, force: true });
    mkdirSync(join(dir, 'rootfs/var/cache/apt/archives/partial'), { recursive: true });
  }).then((d) => join(d, 'rootfs'));
}

async function download(names: readonly string[], dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await run('apt-get', ['download', ...names], { cwd: dir });
}

async function upgradable(root: string): Promise<string[]> {
  const installed = await dpkgQuery(root);
  const out: string[] = [];
  for (const name of UPGRADE_CANDIDATES) {
    if (!installed[name]) continue;
    const policy = await run('apt-cache', ['policy', name]);
    const candidate = /Candidate:\s*(\S+)/.exec(policy)?.[1];
    if (candidate && candidate !== installed[name].split(' ')[0]) out.push(name);
    if (out.length === 2) break;
  }
  return out;
}

async function rawOpaqueLayer(path: string): Promise<void> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => p.on('end', () => resolve()));
  p.entry({ name: 'usr/share/doc/', type: 'directory', mode: 0o755 });
  p.entry({ name: 'usr/share/doc/.wh..wh..opq', mode: 0o644 }, '');
  p.entry({ name: 'usr/share/doc/README.strata', mode: 0o644 }, 'docs were removed from this image\n');
  p.finalize();
  await done;
  writeFileSync(path, Buffer.concat(chunks));
}

export function debianImage(): Promise<DebianImage> {
  return ensureFixture('debian-multilayer', async (dir) => {
    const base = await debootstrapRootfs();
    const layout = join(dir, 'layout');
    const bundle = join(dir, 'bundle');
    await run('umoci', ['init', '--layout', layout]);
    await run('umoci', ['new', '--image', `${layout}:empty`]);
    await run('umoci', ['unpack', '--image', `${layout}:empty`, bundle]);
    rmSync(join(bundle, 'rootfs'), { recursive: true, force: true });
    await run('cp', ['-a', base, join(bundle, 'rootfs')]);
    await run('umoci', [
      'repack',
      '--refresh-bundle',
      '--image',
      `${layout}:v1`,
      '--history.created_by',
      'debootstrap --variant=minbase bookworm',
      bundle,
    ]);

    const rootfs = join(bundle, 'rootfs');
    const upgrades = await upgradable(rootfs);
    const debs = join(dir, 'debs');
    await download([...NEW_PACKAGES, ...upgrades], debs);
    mkdirSync(join(rootfs, 'tmp/debs'), { recursive: true });
    for (const f of readdirSync(debs)) cpSync(join(debs, f), join(rootfs, 'tmp/debs', f));
    await run('chroot', [rootfs, 'sh', '-c', 'dpkg -i /tmp/debs/*.deb']);
    rmSync(join(rootfs, 'tmp/debs'), { recursive: true, force: true });
    await run('umoci', [
      'repack',
      '--refresh-bundle',
      '--image',
      `${layout}:v2`,
      '--history.created_by',
      `dpkg -i ${[...NEW_PACKAGES, ...upgrades].join(' ')}`,
      bundle,
    ]);

    const purged = NEW_PACKAGES[1]!;
    await run('chroot', [rootfs, 'dpkg', '--purge', purged]);
    rmSync(join(rootfs, 'etc/issue.net'), { force: true });
    rmSync(join(rootfs, 'usr/share/zoneinfo/right'), { recursive: true, force: true });
    await run('umoci', [
      'repack',
      '--refresh-bundle',
      '--image',
      `${layout}:v3`,
      '--history.created_by',
      `dpkg --purge ${purged}; rm -rf /etc/issue.net /usr/share/zoneinfo/right`,
      bundle,
    ]);

    const raw = join(dir, 'opaque.tar');
    await rawOpaqueLayer(raw);
    await run('umoci', [
      'raw',
      'add-layer',
      '--image',
      `${layout}:v3`,
      '--tag',
      'v4',
      '--history.created_by',
      'make /usr/share/doc opaque',
      raw,
    ]);

    rmSync(bundle, { recursive: true, force: true });
    await run('umoci', ['unpack', '--image', `${layout}:v4`, join(dir, 'final')]);
    const expected = await dpkgQuery(join(dir, 'final/rootfs'));
    const meta = { installed: NEW_PACKAGES, upgraded: upgrades, purged, expected };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta, null, 2));
  }).then((dir) => {
    const saved = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Omit<
      DebianImage,
      'layout' | 'rootfs' | 'tag'
    >;
    return { ...saved, layout: join(dir, 'layout'), tag: 'v4', rootfs: join(dir, 'final/rootfs') };
  });
}
