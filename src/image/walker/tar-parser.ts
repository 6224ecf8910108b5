import type { Readable } from 'node:stream';
import { StrataError } from '../../core/errors.js';
import type { EntryKind } from './entries.js';
import { LayerError } from './errors.js';

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

const BLOCK = 512;
/** metadata bodies (PAX, GNU long names) are small; a huge one is an attack */
const MAX_META = 1 << 20;

function cstr(b: Buffer, start: number, end: number): string {
  const nul = b.indexOf(0, start);
  return b.toString('utf8', start, nul >= start && nul < end ? nul : end);
}

function octal(b: Buffer, start: number, end: number, what: string): number {
  if (b[start]! & 0x80) {
    // base-256 (GNU) for values that do not fit in octal digits
    let n = b[start]! & 0x7f;
    for (let i = start + 1; i < end; i++) n = n * 256 + b[i]!;
    if (!Number.isSafeInteger(n))
      throw new LayerError('CORRUPT_LAYER', `${what}: tar header number out of range`);
    return n;
  }
  const s = b.toString('latin1', start, end).replace(/\0.*$/s, '').trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s))
    throw new LayerError('CORRUPT_LAYER', `${what}: not a readable tar (bad header field)`);
  return Number.parseInt(s, 8);
}

function checksumOk(h: Buffer, what: string): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === octal(h, 148, 156, what);
}

function kindOf(flag: string, name: string, what: string): EntryKind {
  switch (flag) {
    case '0':
    case '\0':
    case '7':
      return name.endsWith('/') ? 'dir' : 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
    case 'D':
      return 'dir';
    case '3':
    case '4':
    case '6':
      return 'other';
    case 'S':
      // Image builders never write sparse entries; one that declares gigabytes is a bomb.
      throw new LayerError(
        'UNSUPPORTED_ENTRY',
        `${what}: entry "${name.slice(0, 200)}" is a GNU sparse file, refusing the layer`,
      );
    default:
      throw new LayerError(
        'UNSUPPORTED_ENTRY',
        `${what}: entry "${name.slice(0, 200)}" has an unsupported tar type "${flag}", refusing the layer`,
      );
  }
}

function parsePax(body: Buffer, what: string): Map<string, string> {
  const out = new Map<string, string>();
  let off = 0;
  while (off < body.length) {
    const sp = body.indexOf(0x20, off);
    if (sp < 0) break;
    const len = Number.parseInt(body.toString('latin1', off, sp), 10);
    if (!Number.isInteger(len) || len <= 0 || off + len > body.length) {
      throw new LayerError('CORRUPT_LAYER', `${what}: not a readable tar (bad PAX record)`);
    }
    const rec = body.toString('utf8', sp + 1, off + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    off += len;
  }
  return out;
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
  let meta: 'pax' | 'global' | 'L' | 'K' | undefined;

  const finishBody = async () => {
    const content = sink;
    const run = onBody;
    const m = meta;
    sink = undefined;
    onBody = undefined;
    meta = undefined;
    if (m && content) {
      if (m === 'pax') pending.pax = parsePax(content, what);
      else if (m === 'L') pending.longName = cstr(content, 0, content.length);
      else if (m === 'K') pending.longLink = cstr(content, 0, content.length);
      return;
    }
    if (run && content) await run(content);
  };

  const startEntry = (): void => {
    if (!checksumOk(header, what))
      throw new LayerError('CORRUPT_LAYER', `${what}: not a readable tar (bad checksum)`);
    const flag = String.fromCharCode(header[156]!);
    const ustar = header.toString('latin1', 257, 263) === 'ustar\0';
    let name = cstr(header, 0, 100);
    if (ustar && header[345] !== 0) name = `${cstr(header, 345, 500)}/${name}`;
    let size = octal(header, 124, 136, what);
    const mode = octal(header, 100, 108, what);
    let linkName = cstr(header, 157, 257);
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > MAX_META)
        throw new LayerError('CORRUPT_LAYER', `${what}: tar metadata entry too large (${size} bytes)`);
      meta = flag === 'x' ? 'pax' : flag === 'g' ? 'global' : flag;
      sink = Buffer.allocUnsafe(size);
      sinkFill = 0;
      remaining = size;
      padding = (BLOCK - (size % BLOCK)) % BLOCK;
      return;
    }
    const { pax, longName, longLink } = pending;
    pending = {};
    if (longName) name = longName;
    if (longLink) linkName = longLink;
    if (pax) {
      if ([...pax.keys()].some((k) => k.startsWith('GNU.sparse.'))) {
        throw new LayerError(
          'UNSUPPORTED_ENTRY',
          `${what}: entry "${name.slice(0, 200)}" is a GNU sparse file, refusing the layer`,
        );
      }
      name = pax.get('path') ?? name;
      linkName = pax.get('linkpath') ?? linkName;
      const paxSize = pax.get('size');
      if (paxSize !== undefined) size = Number(paxSize);
      if (!Number.isSafeInteger(size) || size < 0)
        throw new LayerError('CORRUPT_LAYER', `${what}: bad PAX size`);
    }
    const kind = kindOf(flag, name, what);
    // only regular files carry data (hardlinks, dirs and devices declare size 0 or are ignored)
    const bodySize = kind === 'file' ? size : flag === '1' || flag === '2' || flag === '5' ? 0 : size;
    const h: TarHeader = { name, kind, size: bodySize, mode, ...(linkName ? { linkName } : {}) };
    onBody = plan(h);
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
      if (header.every((b) => b === 0)) {
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
