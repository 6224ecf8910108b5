import type { Readable } from 'node:stream';
import { StrataError } from '../../core/errors.js';
import {
  applyExtensions,
  isZeroBlock,
  MAX_TAR_META,
  parsePaxRecords,
  parseTarHeader,
  TAR_BLOCK,
  type TarEntryHeader,
  TarError,
  type TarFlagKind,
  tarBodySize,
} from '../tar/index.js';
import type { EntryKind } from './entries.js';
import { LayerError } from './errors.js';

type MetaKind = 'pax' | 'pax-global' | 'gnu-longname' | 'gnu-longlink';
const META_KINDS: ReadonlySet<TarFlagKind> = new Set(['pax', 'pax-global', 'gnu-longname', 'gnu-longlink']);

function cstring(b: Buffer): string {
  const nul = b.indexOf(0);
  return b.toString('utf8', 0, nul === -1 ? b.length : nul);
}

/** A tar entry's metadata, with PAX and GNU long names already applied. */
export interface TarHeader {
  readonly name: string;
  readonly kind: EntryKind;
  readonly size: number;
  readonly mode: number;
  readonly linkName?: string;
}

/**
 * What the walker wants done with an entry's body: read into one buffer of exactly its size
 * and handed over (the parser waits for the returned promise: backpressure), or skipped.
 */
export type EntryPlan = ((content: Buffer) => Promise<void>) | undefined;

const BLOCK = TAR_BLOCK;

function refuse(name: string, what: string, why: string): LayerError {
  return new LayerError(
    'UNSUPPORTED_ENTRY',
    `${what}: entry "${name.slice(0, 200)}" ${why}, refusing the layer`,
  );
}

function entryKind(h: TarEntryHeader, what: string): EntryKind {
  // Image builders never write sparse entries; one that declares gigabytes is a bomb.
  if (h.sparse) throw refuse(h.name, what, 'is a GNU sparse file');
  switch (h.kind) {
    case 'file':
    case 'dir':
    case 'symlink':
    case 'hardlink':
    case 'other':
      return h.kind;
    default:
      throw refuse(h.name, what, `has an unsupported tar type "${h.flag}"`);
  }
}

interface Pending {
  pax?: Map<string, string>;
  longName?: string;
  longLink?: string;
}

/**
 * A streaming tar reader written for the walker's one job: headers are parsed in place from the
 * decompressed chunks, bodies nobody wants are skipped by counting bytes, and a wanted body is
 * handed over as a view of the chunk that holds it (chunks are fresh buffers the decoders never
 * reuse), or, when it spans chunks, copied once into a buffer of its exact size.
 * (tar-stream costs several times a bare inflate.)
 */
export async function readTar(tar: Readable, what: string, plan: (h: TarHeader) => EntryPlan): Promise<void> {
  const header = Buffer.allocUnsafe(BLOCK);
  let headerFill = 0;
  let zeroBlocks = 0;
  let pending: Pending = {};
  // body state
  let remaining = 0;
  let padding = 0;
  let sink: Buffer | undefined;
  let sinkFill = 0;
  let onBody: ((content: Buffer) => Promise<void>) | undefined;
  let meta: MetaKind | undefined;

  const finishMeta = (content: Buffer, m: MetaKind): void => {
    if (m === 'pax') pending.pax = parsePaxRecords(content);
    else if (m === 'gnu-longname') pending.longName = cstring(content);
    else if (m === 'gnu-longlink') pending.longLink = cstring(content);
  };

  const finishBody = async (content: Buffer): Promise<void> => {
    const run = onBody;
    const m = meta;
    sink = undefined;
    onBody = undefined;
    meta = undefined;
    if (m) finishMeta(content, m);
    else if (run) await run(content);
  };

  const startEntry = (block: Buffer): void => {
    const raw = parseTarHeader(block);
    if (META_KINDS.has(raw.kind)) {
      if (raw.size > MAX_TAR_META)
        throw new LayerError('CORRUPT_LAYER', `${what}: tar metadata entry too large (${raw.size} bytes)`);
      meta = raw.kind as MetaKind;
      remaining = raw.size;
      padding = (BLOCK - (raw.size % BLOCK)) % BLOCK;
      return;
    }
    const h = applyExtensions(raw, pending);
    pending = {};
    const kind = entryKind(h, what);
    const bodySize = tarBodySize(h);
    onBody = plan({
      name: h.name,
      kind,
      size: bodySize,
      mode: h.mode,
      ...(h.linkName ? { linkName: h.linkName } : {}),
    });
    remaining = bodySize;
    padding = (BLOCK - (bodySize % BLOCK)) % BLOCK;
  };

  let ended = false;
  let turnStarted = performance.now();
  for await (const chunk of tar as AsyncIterable<Buffer>) {
    // chunks already buffered come without a turn of the event loop; let one pass now and then so
    // the decoder's finished work is collected and its next piece started while we parse
    if (performance.now() - turnStarted > 1) {
      await new Promise(setImmediate);
      turnStarted = performance.now();
    }
    let off = 0;
    const length = chunk.length;
    while (off < length && !ended) {
      if (remaining > 0) {
        const n = Math.min(remaining, length - off);
        if (sink) {
          chunk.copy(sink, sinkFill, off, off + n);
          sinkFill += n;
        }
        remaining -= n;
        off += n;
        if (remaining === 0 && sink) await finishBody(sink);
        continue;
      }
      if (padding > 0) {
        const n = Math.min(padding, length - off);
        padding -= n;
        off += n;
        continue;
      }
      let block: Buffer;
      if (headerFill === 0 && off + BLOCK <= length) {
        // the usual case: the whole header lies in this chunk and is parsed where it lies
        block = chunk.subarray(off, off + BLOCK);
        off += BLOCK;
      } else {
        const n = Math.min(BLOCK - headerFill, length - off);
        chunk.copy(header, headerFill, off, off + n);
        headerFill += n;
        off += n;
        if (headerFill < BLOCK) continue;
        headerFill = 0;
        block = header;
      }
      if (isZeroBlock(block)) {
        zeroBlocks += 1;
        if (zeroBlocks === 2) ended = true;
        continue;
      }
      zeroBlocks = 0;
      startEntry(block);
      if (!onBody && !meta) continue; // skipped: the loop counts its bytes away
      if (remaining === 0) {
        await finishBody(Buffer.alloc(0));
      } else if (off + remaining <= length) {
        // the whole body is in this chunk: a view of it, no copy
        const body = chunk.subarray(off, off + remaining);
        off += remaining;
        remaining = 0;
        await finishBody(body);
      } else {
        sink = Buffer.allocUnsafe(remaining);
        sinkFill = 0;
      }
    }
  }
  // a stream that stops in the last padding lost no data (umoci insert writes such layers)
  if (!ended && (remaining > 0 || headerFill > 0)) {
    throw new LayerError('CORRUPT_LAYER', `${what}: truncated tar`);
  }
}

/** Reads a tar and maps parse failures (not our own StrataErrors) to CORRUPT_LAYER. */
export async function walkTar(tar: Readable, what: string, plan: (h: TarHeader) => EntryPlan): Promise<void> {
  try {
    await readTar(tar, what, plan);
  } catch (err) {
    if (err instanceof TarError) {
      throw new LayerError('CORRUPT_LAYER', `${what}: not a readable tar (${err.message})`, { cause: err });
    }
    if (err instanceof StrataError) throw err;
    throw new LayerError(
      'CORRUPT_LAYER',
      `${what}: not a readable tar (${err instanceof Error ? err.message : err})`,
      {
        cause: err,
      },
    );
  } finally {
    tar.destroy();
  }
}
