import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { KustomizeError } from './errors.js';

/**
 * A path a kustomization names, resolved against its directory. Like kustomize's default load
 * restrictor it must stay inside the kustomization's root (`root`), so a kustomization cannot read
 * `/etc/shadow` or a home directory; URLs (remote bases) are refused.
 */
export function confined(dir: string, path: string, where: string, root = dir): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || path.startsWith('github.com/') || path.includes('?ref='))
    throw new KustomizeError(
      'UNSUPPORTED',
      `${where}: remote ${JSON.stringify(path)} is not supported (offline build)`,
    );
  const full = isAbsolute(path) ? path : resolve(join(dir, path));
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    throw new KustomizeError('NOT_FOUND', `${where}: ${path}: no such file or directory`);
  }
  const rel = relative(realpathSync(root), real);
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new KustomizeError('INVALID', `${where}: ${path} is outside ${root}`);
  return real;
}
