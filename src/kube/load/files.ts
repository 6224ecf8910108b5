import { lstat, stat } from 'node:fs/promises';
import { walkTree } from '../../core/safe-walk.js';
import type { ScanError } from '../../core/types.js';
import { KubeLoadError } from './errors.js';
import { LOADER_NAME } from './types.js';

/** Directories never worth descending into when scanning a project tree. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** Manifest files a directory walk picks up. */
export function isManifestFile(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name);
}

export interface CollectedFiles {
  readonly files: string[];
  /** what a directory walk left out (symlinks out of the tree, loops, FIFOs): one entry each */
  readonly errors: ScanError[];
}

/**
 * Expands inputs into files: a named file is taken as is (a named symlink too: the user chose
 * it), a directory is walked recursively and never out of itself (sorted, keeping names `match`
 * accepts; a symlinked file is used only when it resolves inside the directory, a symlinked
 * directory is not entered, and each link left out is an `errors` entry), `-` stays `-` (stdin).
 * A missing input is a user error.
 */
export async function collectFiles(
  inputs: readonly string[],
  match: (name: string) => boolean = isManifestFile,
): Promise<CollectedFiles> {
  const out: string[] = [];
  const errors: ScanError[] = [];
  for (const input of inputs) {
    if (input === '-') {
      out.push('-');
      continue;
    }
    const info = await lstat(input).catch(() => null);
    if (!info) throw new KubeLoadError('FILE_NOT_FOUND', `${input}: no such file or directory`);
    const target = info.isSymbolicLink() ? await stat(input).catch(() => null) : info;
    if (target?.isDirectory()) {
      const walk = walkTree(input, {
        symlinks: 'inside',
        accept: match,
        skipDir: (n) => SKIPPED_DIRS.has(n),
      });
      for await (const entry of walk) {
        if (entry.kind === 'file') out.push(entry.path);
        else errors.push({ analyzer: LOADER_NAME, path: entry.path, message: `skipped: ${entry.reason}` });
      }
    } else if (target?.isFile()) out.push(input);
    else throw new KubeLoadError('FILE_NOT_FOUND', `${input}: not a regular file or directory`);
  }
  return { files: [...new Set(out)], errors };
}
