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
 * copied once into a buffer of its exact size. (tar-stream costs several times a bare inflate.)
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

  const finishBody = async () => {
    const content = sink;
    const run = onBody;
    const m = meta;
    sink = undefined;
    onBody = undefined;
    meta = undefined;
    if (m && content) {
      if (m === 'pax') pending.pax = parsePaxRecords(content);
      else if (m === 'gnu-longname') pending.longName = cstring(content);
      else if (m === 'gnu-longlink') pending.longLink = cstring(content);
      return;
    }
    if (run && content) await run(content);
  };

  const startEntry = (): void => {
    const raw = parseTarHeader(header);
    if (META_KINDS.has(raw.kind)) {
      if (raw.size > MAX_TAR_META)
        throw new LayerError('CORRUPT_LAYER', `${what}: tar metadata entry too large (${raw.size} bytes)`);
      meta = raw.kind as MetaKind;
      sink = Buffer.allocUnsafe(raw.size);
      sinkFill = 0;
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
    if (onBody) {
      sink = Buffer.allocUnsafe(bodySize);
      sinkFill = 0;
    }
  };

  let ended = false;
  for await (const chunk of tar as AsyncIterable<Buffer>) {
    let off = 0;
    while (off < chunk.length && !ended) {
      if (remaining > 0) {
        const n = Math.min(remaining, chunk.length - off);
        if (sink) {
          chunk.copy(sink, sinkFill, off, off + n);
          sinkFill += n;
        }
        remaining -= n;
        off += n;
        if (remaining === 0) await finishBody();
        continue;
      }
      if (padding > 0) {
        const n = Math.min(padding, chunk.length - off);
        padding -= n;
        off += n;
        continue;
      }
      const n = Math.min(BLOCK - headerFill, chunk.length - off);
      chunk.copy(header, headerFill, off, off + n);
      headerFill += n;
      off += n;
      if (headerFill < BLOCK) continue;
      headerFill = 0;
      if (isZeroBlock(header)) {
        zeroBlocks += 1;
        if (zeroBlocks === 2) ended = true;
        continue;
      }
      zeroBlocks = 0;
      startEntry();
      if (remaining === 0 && padding === 0 && (sink || meta)) await finishBody();
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
