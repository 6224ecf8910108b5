import { createReadStream, fstat, open } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { crc32, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { DisjointRanges } from '../../core/byte-ranges.js';
import { errorMessage } from '../../core/errors.js';
import { decompressionLimits, formatBytes, LIMIT_VARIABLES } from '../../core/limits.js';
import { walkTree } from '../../core/safe-walk.js';
import { VulnError } from '../errors.js';
import { BlockReader } from './block-reader.js';

/** One OSV record's bytes and where they came from (`file` or `archive.zip!entry`). */
export interface RecordSource {
  readonly source: string;
  readonly bytes: Buffer;
}

/** A record larger than this is refused rather than buffered (the largest real OSV records are ~1 MiB). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

export class OversizeRecordError extends Error {}

async function readCapped(stream: Readable, source: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_RECORD_BYTES) {
      stream.destroy();
      throw new OversizeRecordError(`${source}: record larger than ${MAX_RECORD_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * One entry's bytes: the raw (still compressed) data is read from the archive, then inflated in one
 * synchronous call with an output cap, and its CRC-32 checked — cheaper than a zlib stream per record.
 */
async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, source: string): Promise<Buffer> {
  const method = entry.compressionMethod;
  if (method !== 0 && method !== 8) throw new Error(`unsupported zip compression method ${method}`);
  if (method === 0 && entry.compressedSize !== entry.uncompressedSize)
    throw new Error('zip entry is corrupt (a stored entry whose two declared sizes differ)');
  // yauzl takes `decompress: false` only for deflated entries; a stored entry's bytes are the record
  const options = method === 8 ? { decompress: false } : {};
  const raw = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(entry, options, (err, s) => (err || !s ? reject(err) : resolve(s))),
  );
  const data = await readCapped(raw, source);
  let bytes: Buffer = data;
  if (method === 8) {
    try {
      // never more than the declared size (+1 to see a lie): the declared size is what was budgeted
      bytes = inflateRawSync(data, { maxOutputLength: entry.uncompressedSize + 1 });
    } catch (err) {
      throw new Error(
        `zip entry is corrupt (${err instanceof RangeError ? 'larger than declared' : errorMessage(err)})`,
      );
    }
  }
  if (bytes.length !== entry.uncompressedSize || crc32(bytes) !== entry.crc32) {
    throw new Error('zip entry is corrupt (size or CRC-32 mismatch)');
  }
  return bytes;
}

/** Refuses entries that share bytes with another (the overlapping-entry zip bomb) and caps the total. */
class ZipGuard {
  private readonly ranges = new DisjointRanges();
  private inflated = 0;

  constructor(
    private readonly path: string,
    private readonly maxBytes: number,
  ) {}

  check(entry: yauzl.Entry): void {
    const start = entry.relativeOffsetOfLocalHeader;
    const end = start + 30 + entry.fileNameLength + entry.compressedSize;
    if (!this.ranges.add(start, end)) {
      throw new VulnError(
        'IMPORT_PATH',
        `${this.path}!${entry.fileName}: zip entry overlaps another entry (a zip bomb), refusing the archive`,
      );
    }
    this.inflated += entry.uncompressedSize;
    if (this.inflated > this.maxBytes) {
      throw new VulnError(
        'IMPORT_PATH',
        `${this.path}!${entry.fileName}: the archive inflates to more than ${formatBytes(this.maxBytes)} (${LIMIT_VARIABLES.zipBytes})`,
      );
    }
  }
}

const openFd = promisify(open);
const fstatFd = promisify(fstat);

async function openZip(path: string): Promise<yauzl.ZipFile> {
  let fd: number;
  let size: number;
  try {
    // a raw descriptor (not a FileHandle, which would close itself when collected); BlockReader closes it
    fd = await openFd(path, 'r');
    size = (await fstatFd(fd)).size;
  } catch (err) {
    throw new VulnError('IMPORT_PATH', `${path}: cannot open the zip archive`, { cause: err });
  }
  const reader = new BlockReader(fd, size);
  return new Promise((resolve, reject) => {
    // sizes and CRC-32 are checked per entry (readEntry), so one lying entry is one bad record, not a lost archive
    const options = { lazyEntries: true, autoClose: true, validateEntrySizes: false };
    yauzl.fromRandomAccessReader(reader, size, options, (err, zip) => {
      if (err || !zip) {
        reader.close(() => undefined);
        reject(new VulnError('IMPORT_PATH', `${path}: not a readable zip archive`, { cause: err }));
      } else resolve(zip);
    });
  });
}

/**
 * Yields the `.json` entries of a zip one at a time: the central directory is read, then each entry
 * is inflated on demand, so memory holds one record, never the archive.
 */
export async function* zipRecords(
  path: string,
  maxBytes = decompressionLimits().zipBytes,
): AsyncGenerator<RecordSource | { source: string; error: string }> {
  const zip = await openZip(path);
  const guard = new ZipGuard(path, maxBytes);
  try {
    while (true) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry): void => {
          zip.off('end', onEnd);
          zip.off('error', onError);
          resolve(e);
        };
        const onEnd = (): void => {
          zip.off('entry', onEntry);
          zip.off('error', onError);
          resolve(undefined);
        };
        const onError = (err: Error): void => {
          zip.off('entry', onEntry);
          zip.off('end', onEnd);
          reject(new VulnError('IMPORT_PATH', `${path}: corrupt zip archive`, { cause: err }));
        };
        zip.once('entry', onEntry);
        zip.once('end', onEnd);
        zip.once('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      guard.check(entry);
      if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) continue;
      const source = `${path}!${entry.fileName}`;
      if (entry.uncompressedSize > MAX_RECORD_BYTES) {
        yield { source, error: `record larger than ${MAX_RECORD_BYTES} bytes` };
        continue;
      }
      try {
        yield { source, bytes: await readEntry(zip, entry, source) };
      } catch (err) {
        yield { source, error: err instanceof Error ? err.message : String(err) };
      }
    }
  } finally {
    zip.close();
  }
}

const isRecordFile = (name: string): boolean => name.endsWith('.json') || name.endsWith('.zip');

/**
 * The record files under a path the user named: the path itself when it is a file (a named
 * symlink is followed: the user chose it), else a walk of the directory that never follows a
 * symlink (an export has none; one that does could read any file on the host) — each symlink
 * and each non-regular file is an error entry instead. Hidden entries are left out.
 */
async function* walk(root: string): AsyncGenerator<{ file: string } | { source: string; error: string }> {
  const info = await stat(root);
  if (!info.isDirectory()) {
    if (!info.isFile()) yield { source: root, error: 'not a regular file' };
    else if (!isRecordFile(root)) yield { source: root, error: 'neither a .json record nor a .zip export' };
    else yield { file: root };
    return;
  }
  const tree = walkTree(root, {
    symlinks: 'never',
    accept: (name) => !name.startsWith('.') && isRecordFile(name),
    skipDir: (name) => name.startsWith('.'),
  });
  for await (const entry of tree) {
    if (entry.kind === 'file') yield { file: entry.path };
    else yield { source: entry.path, error: `skipped: ${entry.reason}` };
  }
}

/**
 * Every OSV record under the given paths: `.json` files, `.zip` exports, and directories of both
 * (recursively, in name order so imports are deterministic).
 */
export async function* recordSources(
  paths: readonly string[],
): AsyncGenerator<RecordSource | { source: string; error: string }> {
  for (const root of paths) {
    try {
      await stat(root);
    } catch (err) {
      throw new VulnError('IMPORT_PATH', `${root}: no such file or directory`, { cause: err });
    }
    for await (const found of walk(root)) {
      if ('error' in found) {
        yield found;
        continue;
      }
      const { file } = found;
      if (file.endsWith('.zip')) yield* zipRecords(file);
      else if (file.endsWith('.json')) {
        try {
          yield { source: file, bytes: await readCapped(createReadStream(file), file) };
        } catch (err) {
          yield { source: file, error: err instanceof Error ? err.message : String(err) };
        }
      }
    }
  }
}
