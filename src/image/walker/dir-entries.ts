import { constants } from 'node:fs';
import { lstat, open, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayerEntry } from './entries.js';
import { LayerError } from './errors.js';

/**
 * Walks a directory on the host as if it were a layer: depth-first, sorted, never following
 * symlinks (a symlink loop or a link to `/etc` is just a link), never leaving the root.
 */
export async function* dirEntries(root: string): AsyncGenerator<LayerEntry> {
  const st = await lstat(root).catch((err: NodeJS.ErrnoException) => {
    throw new LayerError(
      'ROOT_UNREADABLE',
      `${root}: ${err.code === 'ENOENT' ? 'no such directory' : err.message}`,
    );
  });
  if (!st.isDirectory()) throw new LayerError('ROOT_UNREADABLE', `${root}: not a directory`);
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    const names: { name: string; dir: boolean; link: boolean; file: boolean }[] = [];
    try {
      for await (const d of await opendir(join(root, rel))) {
        names.push({ name: d.name, dir: d.isDirectory(), link: d.isSymbolicLink(), file: d.isFile() });
      }
    } catch {
      continue; // unreadable directory: nothing under it can be analysed
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const d of names) {
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.dir) {
        subdirs.push(path);
        yield simple(path, 'dir', 0, 0o755);
      } else if (d.link) {
        yield simple(path, 'symlink', 0, 0o777);
      } else if (d.file) {
        const full = join(root, path);
        const s = await lstat(full).catch(() => null);
        if (!s) continue;
        yield {
          name: path,
          kind: 'file',
          size: s.size,
          mode: s.mode & 0o7777,
          read: () => readRegular(full),
        };
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

/**
 * Reads a file the walk listed as regular, refusing it if it was swapped for a symlink (O_NOFOLLOW)
 * or a FIFO (O_NONBLOCK, then fstat) in between, so the walk never reads outside the root.
 */
async function readRegular(full: string): Promise<Buffer> {
  const handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) throw new Error(`${full}: no longer a regular file`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

function simple(name: string, kind: 'dir' | 'symlink', size: number, mode: number): LayerEntry {
  return { name, kind, size, mode, read: async () => Buffer.alloc(0) };
}
