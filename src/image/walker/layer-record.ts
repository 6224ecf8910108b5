import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { AnalysisResult, Analyzer } from '../../core/analyzer.js';
import type { Finding, ScanError } from '../../core/types.js';

/**
 * What the walker decided about one layer entry. A layer's outcome is the ordered list of these
 * decisions plus its errors and `every-layer` findings: everything the layer alone determines.
 * What depends on the layers below (does a symlink replace a tracked file? what does a hardlink
 * to a lower layer's file hold?) is decided again from the overlay when the ops are applied, so
 * a replayed layer changes the overlay exactly as walking it did, whatever lies below it.
 */
export const OP = {
  /** an opaque directory marker: lower layers' files below `path` are hidden */
  OPAQUE: 0,
  /** a whiteout: `path` and everything below it is deleted */
  WHITEOUT: 1,
  /** a directory entry: replaces a tracked file at `path` */
  DIR: 2,
  /** a non-directory nobody analysed (symlink, unwanted file, no result): replaces what was at or below `path` */
  SHADOW: 3,
  /** a file with `final`-scope results */
  ADD: 4,
  /** a hardlink: the target's results, as they stand when the entry is met */
  LINK: 5,
} as const;
export type OpKind = (typeof OP)[keyof typeof OP];

/** A hardlink's payload: its target and the `final` analyzers that want the link's path. */
export type LinkPayload = readonly [target: string, wanted: readonly string[]];

/** One layer's outcome, as cached (see OP). */
export interface LayerRecord {
  /** one op per entry, in tar order */
  readonly kinds: Uint8Array;
  readonly paths: readonly string[];
  /** for each ADD op (a results map) and LINK op (a LinkPayload), in order */
  readonly payloads: readonly unknown[];
  readonly errors: readonly ScanError[];
  /** `every-layer` findings; `location.layer` is set again on replay (blobs of one diffID differ) */
  readonly findings: readonly Finding[];
  /** uncompressed bytes of the layer, so a replay spends the decompression budget as a walk does */
  readonly bytes: number;
}

/**
 * Path characters one layer's record may hold: past this (a layer of millions of entries) the
 * layer is walked without recording, so a hostile layer costs no more memory than before.
 */
export const MAX_RECORD_PATH_CHARS = 16 * 1024 * 1024;

/** Collects a layer's ops while it is walked. */
export class LayerRecorder {
  private kinds = new Uint8Array(1024);
  private count = 0;
  private chars = 0;
  private paths: string[] = [];
  private payloads: unknown[] = [];
  /** set when the layer outgrew MAX_RECORD_PATH_CHARS: nothing more is kept, nothing is stored */
  overflowed = false;

  constructor(private readonly maxChars = MAX_RECORD_PATH_CHARS) {}

  push(kind: OpKind, path: string, payload?: unknown): void {
    if (this.overflowed) return;
    this.chars += path.length + 8;
    if (this.chars > this.maxChars) {
      this.overflowed = true;
      this.kinds = new Uint8Array(0);
      this.paths = [];
      this.payloads = [];
      return;
    }
    if (this.count === this.kinds.length) {
      const grown = new Uint8Array(this.kinds.length * 2);
      grown.set(this.kinds);
      this.kinds = grown;
    }
    this.kinds[this.count++] = kind;
    this.paths.push(path);
    if (kind === OP.ADD || kind === OP.LINK) this.payloads.push(payload);
  }

  finish(errors: readonly ScanError[], findings: readonly Finding[], bytes: number): LayerRecord {
    return {
      kinds: this.kinds.slice(0, this.count),
      paths: this.paths,
      payloads: this.payloads,
      errors,
      findings,
      bytes,
    };
  }
}

/**
 * Format of a cache entry. Bump when LayerRecord or the meaning of an op changes: old entries
 * then miss (the key carries it) and are rewritten.
 */
export const LAYER_RECORD_FORMAT = 1;
const MAGIC = Buffer.from('STLC');
const HEADER = MAGIC.length + 1 + 32;
/** a corrupt or hostile row never inflates past this */
const MAX_INFLATED = 1 << 30;

/** v8 serialisation (Maps and `undefined` survive as they are), deflated, behind a magic, a format and a sha256. */
export function encodeLayerRecord(record: LayerRecord): Buffer {
  const body = deflateRawSync(serialize(record), { level: 6 });
  const sum = createHash('sha256').update(body).digest();
  return Buffer.concat([MAGIC, Buffer.from([LAYER_RECORD_FORMAT]), sum, body]);
}

export class CorruptEntryError extends Error {}

/** Decodes an entry; any damage (truncation, a flipped bit, another format, a wrong shape) throws CorruptEntryError. */
export function decodeLayerRecord(data: Uint8Array): LayerRecord {
  // a backend may hand back another type for a damaged row (SQLite: TEXT)
  if (!(data instanceof Uint8Array)) throw new CorruptEntryError('not a binary value');
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < HEADER || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CorruptEntryError('not a layer cache entry');
  }
  const format = buf[MAGIC.length];
  if (format !== LAYER_RECORD_FORMAT)
    throw new CorruptEntryError(`entry format ${format}, expected ${LAYER_RECORD_FORMAT}`);
  const body = buf.subarray(HEADER);
  const sum = createHash('sha256').update(body).digest();
  if (!sum.equals(buf.subarray(MAGIC.length + 1, HEADER))) throw new CorruptEntryError('checksum mismatch');
  let value: unknown;
  try {
    value = deserialize(inflateRawSync(body, { maxOutputLength: MAX_INFLATED }));
  } catch (err) {
    throw new CorruptEntryError(`cannot decode (${err instanceof Error ? err.message : String(err)})`);
  }
  return checkShape(value);
}

function checkShape(value: unknown): LayerRecord {
  const bad = (what: string): never => {
    throw new CorruptEntryError(`malformed entry: ${what}`);
  };
  if (typeof value !== 'object' || value === null) return bad('not an object');
  const r = value as Record<string, unknown>;
  if (!(r.kinds instanceof Uint8Array)) return bad('kinds');
  if (!Array.isArray(r.paths) || r.paths.length !== r.kinds.length) return bad('paths');
  if (!Array.isArray(r.payloads) || !Array.isArray(r.errors) || !Array.isArray(r.findings))
    return bad('lists');
  if (typeof r.bytes !== 'number' || !Number.isSafeInteger(r.bytes) || r.bytes < 0) return bad('bytes');
  let payload = 0;
  for (let i = 0; i < r.kinds.length; i++) {
    const kind = r.kinds[i]!;
    if (typeof r.paths[i] !== 'string') return bad(`paths[${i}]`);
    if (kind === OP.ADD) {
      if (!(r.payloads[payload++] instanceof Map)) return bad(`payloads[${payload - 1}]`);
    } else if (kind === OP.LINK) {
      const p = r.payloads[payload++];
      if (!Array.isArray(p) || typeof p[0] !== 'string' || !Array.isArray(p[1]))
        return bad(`payloads[${payload - 1}]`);
    } else if (kind > OP.LINK) return bad(`kinds[${i}]`);
  }
  if (payload !== r.payloads.length) return bad('payload count');
  return r as unknown as LayerRecord;
}

/**
 * The analyzer half of a cache key: each analyzer's name, version, scope, size cap and config
 * digest, in order (their order decides the order of results and errors), and the entry format.
 */
export function analyzerKey(analyzers: readonly Analyzer[]): string {
  const parts = analyzers.map((a) => [
    a.name,
    a.version,
    a.scope ?? 'final',
    a.maxFileSize ?? null,
    a.cacheKey ?? null,
  ]);
  return createHash('sha256')
    .update(JSON.stringify([LAYER_RECORD_FORMAT, parts]))
    .digest('hex')
    .slice(0, 32);
}

/** `sha256:<diffID hex>/<analyzer key>` */
export function layerCacheKey(diffId: string, analyzers: string): string {
  return `${diffId}/${analyzers}`;
}

/** The results map of an ADD payload (checked by decode). */
export function addPayload(p: unknown): ReadonlyMap<string, AnalysisResult> {
  return p as ReadonlyMap<string, AnalysisResult>;
}
