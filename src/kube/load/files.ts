import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeLoadError } from './errors.js';

/** Directories never worth descending into when scanning a project tree. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** Manifest files a directory walk picks up. */
export function isManifestFile(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name);
}

async function walk(dir: string, match: (name: string) => boolean, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(path, match, out);
    } else if (match(entry.name)) {
      // symlinks are followed to files only, so a link loop cannot trap the walk
      if (entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => null))?.isFile())) {
        out.push(path);
      }
    }
  }
}

/**
 * Expands inputs into files: a named file is taken as is, a directory is walked recursively
 * (sorted, keeping names `match` accepts), `-` stays `-` (stdin). A missing input is a user error.
 */
export async function collectFiles(
  inputs: readonly string[],
  match: (name: string) => boolean = isManifestFile,
): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      out.push('-');
      continue;
    }
    const info = await lstat(input).catch(() => null);
    if (!info) throw new KubeLoadError('FILE_NOT_FOUND', `${input}: no such file or directory`);
    const target = info.isSymbolicLink() ? await stat(input).catch(() => null) : info;
    if (target?.isDirectory()) await walk(input, match, out);
    else if (target?.isFile()) out.push(input);
    else throw new KubeLoadError('FILE_NOT_FOUND', `${input}: not a regular file or directory`);
  }
  return [...new Set(out)];
}
