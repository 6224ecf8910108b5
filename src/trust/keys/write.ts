import { randomBytes } from 'node:crypto';
import { constants, lstatSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TrustError } from '../errors.js';

export interface KeyFile {
  readonly path: string;
  readonly text: string;
  /** 0o600 for private keys, 0o644 for public ones */
  readonly mode: number;
}

/**
 * Refuses a destination that is a symlink (dangling or not: the key would land wherever it
 * points) or anything but a regular file, and an existing file unless `force`. Checked for every
 * file before any is written, so a refusal leaves nothing half done.
 */
export function checkKeyDestinations(files: readonly KeyFile[], force: boolean): void {
  for (const f of files) {
    let st: import('node:fs').Stats;
    try {
      st = lstatSync(f.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new TrustError('INVALID_ARGUMENT', `${f.path}: cannot check the destination`, { cause: err });
    }
    if (st.isSymbolicLink())
      throw new TrustError('INVALID_ARGUMENT', `${f.path} is a symlink; refusing to write a key through it`);
    if (!st.isFile()) throw new TrustError('INVALID_ARGUMENT', `${f.path} exists and is not a regular file`);
    if (!force) throw new TrustError('INVALID_ARGUMENT', `${f.path} exists (use --force to overwrite)`);
  }
}

/**
 * Writes a key file so its mode is right from the first byte and no link is followed: a fresh
 * temporary file beside the destination (O_CREAT|O_EXCL|O_NOFOLLOW, then fchmod, since the umask
 * may narrow the create mode but an old file's mode would otherwise survive `--force`), synced,
 * then renamed over the destination (rename replaces a link, never writes through it).
 */
export async function writeKeyFile(file: KeyFile): Promise<void> {
  const temp = join(dirname(file.path), `.${basename(file.path)}.${randomBytes(6).toString('hex')}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const handle = await open(temp, flags, file.mode);
  try {
    try {
      await handle.chmod(file.mode);
      await handle.writeFile(file.text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file.path);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
}
