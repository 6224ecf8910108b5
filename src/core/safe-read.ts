import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from './errors.js';
import { InputError } from './schema.js';

/**
 * The one way Strata reads a file that a user or a target named (`--ignorefile`, `--vex`, `--rules`,
 * `--secret-config`, `--kubeconfig`, `--policy`, keys, bundles, predicates, manifests): regular files
 * only (a FIFO, a device or a directory is refused without blocking), and never more than a cap per
 * kind of file, so `/dev/zero` or a 2 GB file is one clear error instead of an out-of-memory abort.
 */
const MiB = 1024 * 1024;

/** Default caps per kind of file; generous for real files, small enough to never exhaust memory. */
export const READ_LIMITS = {
  ignorefile: 4 * MiB,
  vex: 32 * MiB,
  rules: 8 * MiB,
  'secret-config': 4 * MiB,
  kubeconfig: 8 * MiB,
  policy: 4 * MiB,
  key: 1 * MiB,
  bundle: 16 * MiB,
  predicate: 64 * MiB,
  manifest: 256 * MiB,
  sbom: 512 * MiB,
  /** `strata paths --results`: Strata JSON results of image scans */
  results: 512 * MiB,
  'audit-log': 2048 * MiB,
  config: 16 * MiB,
  'trusted-root': 16 * MiB,
  artifact: 256 * MiB,
  flows: 4 * MiB,
  dockerfile: 4 * MiB,
  'ca-cert': 1 * MiB,
} as const;

export type ReadKind = keyof typeof READ_LIMITS;

export interface ReadOptions {
  /** what the file is, for the cap and the error text (`--vex file`) */
  readonly kind: ReadKind;
  /** overrides the kind's cap */
  readonly maxBytes?: number;
}

function describeType(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function openForRead(path: string, kind: ReadKind): number {
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; on a regular file it changes nothing
    return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError('FILE_NOT_FOUND', `${kind} file ${path}: no such file`);
    if (code === 'EISDIR') throw new InputError(`${kind} file ${path}: is a directory, expected a file`);
    throw new InputError(`${kind} file ${path}: cannot be read (${code ?? String(err)})`, { cause: err });
  }
}

/** Reads a user-named file whole, refusing non-regular files and files over the kind's cap. */
export function readInputFile(path: string, options: ReadOptions): Buffer {
  const max = options.maxBytes ?? READ_LIMITS[options.kind];
  const fd = openForRead(path, options.kind);
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw new InputError(`${options.kind} file ${path}: is ${describeType(st)}, expected a regular file`);
    if (st.size > max)
      throw new InputError(`${options.kind} file ${path}: ${st.size} bytes is over the ${max}-byte limit`);
    // read at most max + 1 bytes: a file that grows while we read is still caught
    const buf = Buffer.allocUnsafe(Math.min(st.size, max) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > max) throw new InputError(`${options.kind} file ${path}: over the ${max}-byte limit`);
      if (length === buf.length) break;
    }
    return buf.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** `readInputFile` as UTF-8 text. */
export function readInputText(path: string, options: ReadOptions): string {
  return readInputFile(path, options).toString('utf8');
}
