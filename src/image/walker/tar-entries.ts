import type { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';
import { StrataError } from '../../core/errors.js';
import { collect, drain, type EntryKind, type LayerEntry } from './entries.js';
import { LayerError } from './errors.js';

function kindOf(h: Header, what: string): EntryKind {
  switch (h.type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'dir';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    case 'character-device':
    case 'block-device':
    case 'fifo':
      return 'other';
    default:
      // tar-stream reports GNU sparse ('S') and unknown type flags as null. Image builders never
      // write sparse entries; one that declares gigabytes is a decompression bomb, so it is refused.
      throw new LayerError(
        'UNSUPPORTED_ENTRY',
        `${what}: entry "${h.name.slice(0, 200)}" has an unsupported tar type (GNU sparse or unknown), refusing the layer`,
      );
  }
}

function isPaxSparse(h: Header): boolean {
  const pax = h.pax as Record<string, string> | undefined;
  return Boolean(pax && Object.keys(pax).some((k) => k.startsWith('GNU.sparse.')));
}

/** Iterates a tar stream's entries; tar parse errors become CORRUPT_LAYER. */
export async function* tarEntries(tar: Readable, what: string): AsyncGenerator<LayerEntry> {
  const ex = extract();
  tar.on('error', (err) => ex.destroy(err));
  tar.pipe(ex);
  try {
    for await (const entry of ex) {
      const h = entry.header;
      if (isPaxSparse(h)) {
        throw new LayerError(
          'UNSUPPORTED_ENTRY',
          `${what}: entry "${h.name.slice(0, 200)}" is a GNU sparse file, refusing the layer`,
        );
      }
      const kind = kindOf(h, what);
      let consumed = false;
      const body = entry as unknown as Readable;
      yield {
        name: h.name,
        kind,
        size: h.size ?? 0,
        mode: h.mode ?? 0,
        ...(h.linkname ? { linkName: h.linkname } : {}),
        read: async () => {
          consumed = true;
          return collect(body, h.size ?? 0);
        },
        skip: async () => {
          consumed = true;
          await drain(body);
        },
      };
      if (!consumed) await drain(body);
    }
  } catch (err) {
    if (err instanceof StrataError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new LayerError('CORRUPT_LAYER', `${what}: not a readable tar (${message})`, { cause: err });
  } finally {
    tar.unpipe(ex);
    tar.destroy();
  }
}
