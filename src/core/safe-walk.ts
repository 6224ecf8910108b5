import { realpathSync } from 'node:fs';
import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * The one way Strata walks a directory that a user named (`config DIR`, `netpol DIR`, `rbac DIR`,
 * `fs DIR --scanners misconfig`, `db import DIR`): sorted, depth first, and never out of the tree.
 * Directories are entered only when they are real directories (a symlinked directory is never
 * followed, so a link loop cannot trap the walk); a symlinked file is used only when the policy
 * allows it and its real path stays inside the root. Everything the walk leaves out that the
 * caller would have wanted comes back as a `skipped` entry with the reason, for `errors[]`.
 */
export type TreeEntry =
  | { readonly kind: 'file'; readonly path: string; readonly size: number }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: string };

export interface WalkOptions {
  /**
   * `inside`: a symlink to a regular file inside the root is used like the file (kustomize trees
   * link shared bases); `never`: every symlink is skipped. Either way a link out of the tree is.
   */
  readonly symlinks: 'inside' | 'never';
  /** file names the caller wants (default: all); only these are yielded or reported */
  readonly accept?: (name: string) => boolean;
  /** directory names not entered at all (no note: `.git`, `node_modules`) */
  readonly skipDir?: (name: string) => boolean;
}

/** Whether `path`'s real location (every symlink resolved) is `root` or under it. */
export function isInsideRoot(realRoot: string, realPath: string): boolean {
  if (realPath === realRoot) return true;
  const rel = relative(realRoot, realPath);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep);
}

/**
 * Resolves `path` and checks it stays inside `root` (both resolved), synchronously: for code that
 * opens one named file of a tree (`blobs/sha256/...` of an OCI layout). Returns the real path,
 * or undefined when the file is missing, a loop, or outside.
 */
export function realPathInside(root: string, path: string): string | undefined {
  try {
    const real = realpathSync(path);
    return isInsideRoot(realpathSync(root), real) ? real : undefined;
  } catch {
    return undefined;
  }
}

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'a symlink loop';
  if (code === 'ENOENT') return 'a dangling symlink';
  return `unreadable (${code ?? String(err)})`;
}

async function symlinkEntry(realRoot: string, path: string, options: WalkOptions): Promise<TreeEntry> {
  if (options.symlinks === 'never') return { kind: 'skipped', path, reason: 'a symlink, not followed' };
  let real: string;
  try {
    real = await realpath(path);
  } catch (err) {
    return { kind: 'skipped', path, reason: `${reasonOf(err)}, not followed` };
  }
  if (!isInsideRoot(realRoot, real)) {
    return { kind: 'skipped', path, reason: 'a symlink that points outside the directory, not followed' };
  }
  const st = await stat(real).catch(() => undefined);
  if (st?.isDirectory()) return { kind: 'skipped', path, reason: 'a symlink to a directory, not followed' };
  if (!st?.isFile()) return { kind: 'skipped', path, reason: 'a symlink to something not a regular file' };
  return { kind: 'file', path, size: st.size };
}

/** Walks `root` (a directory) and yields the files the options accept, in sorted path order. */
export async function* walkTree(root: string, options: WalkOptions): AsyncGenerator<TreeEntry> {
  yield* walkDir(await realpath(root), root, options);
}

async function* walkDir(realRoot: string, dir: string, options: WalkOptions): AsyncGenerator<TreeEntry> {
  const accept = options.accept ?? (() => true);
  let names: string[];
  try {
    const found: string[] = [];
    for await (const d of await opendir(dir)) found.push(d.name);
    names = found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (err) {
    yield { kind: 'skipped', path: dir, reason: `directory ${reasonOf(err)}` };
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    const st = await lstat(path).catch(() => undefined);
    if (!st) continue; // removed while we walk
    if (st.isDirectory()) {
      if (!options.skipDir?.(name)) yield* walkDir(realRoot, path, options);
    } else if (st.isSymbolicLink()) {
      const toDir = (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
      if (toDir ? !options.skipDir?.(name) : accept(name)) yield await symlinkEntry(realRoot, path, options);
    } else if (accept(name)) {
      yield st.isFile()
        ? { kind: 'file', path, size: st.size }
        : { kind: 'skipped', path, reason: 'not a regular file' };
    }
  }
}
