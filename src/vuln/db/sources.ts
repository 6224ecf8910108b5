import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { VulnError } from '../errors.js';

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

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip)
        reject(new VulnError('IMPORT_PATH', `${path}: not a readable zip archive`, { cause: err }));
      else resolve(zip);
    });
  });
}

/**
 * Yields the `.json` entries of a zip one at a time: the central directory is read, then each entry
 * is inflated on demand, so memory holds one record, never the archive.
 */
export async function* zipRecords(
  path: string,
): AsyncGenerator<RecordSource | { source: string; error: string }> {
  const zip = await openZip(path);
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
      if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) continue;
      const source = `${path}!${entry.fileName}`;
      if (entry.uncompressedSize > MAX_RECORD_BYTES) {
        yield { source, error: `record larger than ${MAX_RECORD_BYTES} bytes` };
        continue;
      }
      try {
        const stream = await new Promise<Readable>((resolve, reject) =>
          zip.openReadStream(entry, (err, s) => (err || !s ? reject(err) : resolve(s))),
        );
        yield { source, bytes: await readCapped(stream, source) };
      } catch (err) {
        yield { source, error: err instanceof Error ? err.message : String(err) };
      }
    }
  } finally {
    zip.close();
  }
}

async function* walk(path: string): AsyncGenerator<string> {
  const info = await stat(path);
  if (!info.isDirectory()) {
    yield path;
    return;
  }
  const names = (await readdir(path)).sort();
  for (const name of names) {
    if (name.startsWith('.')) continue;
    yield* walk(join(path, name));
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
    for await (const file of walk(root)) {
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
