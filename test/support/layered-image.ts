import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec.js';

/** One build step: change the root filesystem; umoci records the difference as a layer. */
export interface BuildStep {
  readonly createdBy: string;
  apply(rootfs: string): Promise<void>;
}

/**
 * Builds an OCI layout image layer by layer from real files (umoci unpack + repack with
 * --refresh-bundle, so each step is its own layer with real whiteouts), then sets Env.
 */
export async function buildLayered(
  dir: string,
  steps: readonly BuildStep[],
  env: readonly string[] = [],
): Promise<{ layout: string; tag: string }> {
  const layout = join(dir, 'layout');
  const bundle = join(dir, 'bundle');
  const tag = 'latest';
  await run('umoci', ['init', '--layout', layout]);
  await run('umoci', ['new', '--image', `${layout}:${tag}`]);
  await run('umoci', ['unpack', '--image', `${layout}:${tag}`, bundle]);
  const rootfs = join(bundle, 'rootfs');
  mkdirSync(rootfs, { recursive: true });
  for (const step of steps) {
    await step.apply(rootfs);
    await run('umoci', [
      'repack',
      '--refresh-bundle',
      '--image',
      `${layout}:${tag}`,
      '--history.created_by',
      step.createdBy,
      bundle,
    ]);
  }
  if (env.length) {
    await run('umoci', ['config', '--image', `${layout}:${tag}`, ...env.flatMap((e) => ['--config.env', e])]);
  }
  rmSync(bundle, { recursive: true, force: true });
  return { layout, tag };
}

/** `apt-get download` of real Debian packages, unpacked with `dpkg -x` into a root filesystem. */
export async function installDebs(rootfs: string, work: string, names: readonly string[]): Promise<void> {
  const debs = join(work, `debs-${names.join('-')}`);
  mkdirSync(debs, { recursive: true });
  await run('apt-get', ['download', '-q', ...names], { cwd: debs });
  const files = (await run('sh', ['-c', 'ls *.deb'], { cwd: debs })).trim().split('\n');
  for (const f of files) await run('dpkg-deb', ['-x', join(debs, f), rootfs]);
}
