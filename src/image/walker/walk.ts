import { createHash, type Hash } from 'node:crypto';
import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import {
  type AnalysisResult,
  type Analyzer,
  DEFAULT_MAX_FILE_SIZE,
  type FileMeta,
} from '../../core/analyzer.js';
import { CancelledError, errorMessage, StrataError } from '../../core/errors.js';
import { type DecompressionLimits, formatBytes, LIMIT_VARIABLES } from '../../core/limits.js';
import type { Finding, LayerInfo, ScanError } from '../../core/types.js';
import { DIR_LAYER_MEDIA_TYPE } from '../dir-source.js';
import type { ImageHandle, LayerDescriptor } from '../types.js';
import { decompressLayer, type LayerBudget, layerBudget } from './decompress.js';
import { dirEntries } from './dir-entries.js';
import { AnalyzerDispatch } from './dispatch.js';
import { LayerError } from './errors.js';
import type { LayerCache } from './layer-cache.js';
import {
  addPayload,
  analyzerKey,
  CorruptEntryError,
  decodeLayerRecord,
  encodeLayerRecord,
  type LayerRecord,
  LayerRecorder,
  type LinkPayload,
  layerCacheKey,
  OP,
  type OpKind,
} from './layer-record.js';
import { emptyChanges, type LayerChanges, Overlay, type TrackedFile } from './overlay.js';
import { normalizeEntryPath } from './path.js';
import { type EntryPlan, type TarHeader, walkTar } from './tar-parser.js';
import { readWhiteout } from './whiteout.js';

/** What the layer cache did for one layer (for `--debug`). */
export type LayerCacheEvent =
  | { readonly outcome: 'hit' }
  | { readonly outcome: 'miss' }
  /** an entry that did not decode: walked again and rewritten */
  | { readonly outcome: 'corrupt'; readonly reason: string }
  | { readonly outcome: 'stored'; readonly bytes: number }
  /** walked but not stored (over the entry cap, diffID mismatch, backend failure) */
  | { readonly outcome: 'not-stored'; readonly reason: string }
  /** not looked up: the layer's diffID cannot be trusted (no config diffIDs, a `dir:` root) */
  | { readonly outcome: 'uncacheable'; readonly reason: string };

export interface WalkOptions {
  readonly analyzers: readonly Analyzer[];
  readonly signal?: AbortSignal;
  /** how far layers may expand (default: `decompressionLimits()`, i.e. the defaults and STRATA_MAX_*) */
  readonly limits?: DecompressionLimits;
  /** called after each layer with its index and uncompressed bytes seen */
  readonly onLayer?: (index: number, layer: LayerInfo) => void;
  /**
   * Layers already analysed (by diffID and the analyzer set) are replayed from here instead of
   * read, and layers walked are stored; a cache that fails is a miss, never a failed scan.
   */
  readonly cache?: LayerCache;
  /** told, per layer, what the cache did */
  readonly onCache?: (index: number, layer: LayerInfo, event: LayerCacheEvent) => void;
}

export interface WalkOutput {
  /** files analysed by `final`-scope analyzers that survive to the final filesystem */
  readonly files: readonly TrackedFile[];
  /** findings of `every-layer` analyzers, each with the layer that holds the file */
  readonly layerFindings: readonly Finding[];
  readonly errors: readonly ScanError[];
}

interface LayerContext {
  readonly index: number;
  readonly layer: LayerInfo;
  readonly what: string;
  readonly changes: LayerChanges;
  /** a tar layer (whiteouts apply), not a root filesystem directory */
  readonly tar: boolean;
  readonly errors: ScanError[];
  readonly findings: Finding[];
  /** set when the layer's outcome is being recorded for the cache */
  readonly recorder?: LayerRecorder;
}

/** The cache key of a layer, or why it has none: only a diffID the image config vouches for is trusted. */
function layerKey(
  image: ImageHandle,
  layer: LayerDescriptor,
  analyzers: string,
): string | { reason: string } {
  if (layer.mediaType === DIR_LAYER_MEDIA_TYPE) return { reason: 'a directory, not a layer blob' };
  if (!image.configDigest) return { reason: 'no image config lists its diffID' };
  if (!/^sha256:[a-f0-9]{64}$/.test(layer.diffId))
    return { reason: `diffID "${layer.diffId.slice(0, 80)}" is not a sha256 digest` };
  return layerCacheKey(layer.diffId, analyzers);
}

/** Hashes the uncompressed tar as it passes, so a stored entry is known to be of the diffID it is filed under. */
class DiffIdHasher extends Transform {
  private readonly hash: Hash = createHash('sha256');
  digest: string | undefined;

  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.digest = `sha256:${this.hash.digest('hex')}`;
    cb();
  }
}

/**
 * The single-pass walker: every layer is streamed once; each entry is offered to the analyzers'
 * `required()`; a wanted entry is read once, into one size-capped buffer shared by every analyzer
 * that wants it; everything else is skipped unread. Whiteouts are applied in the same pass.
 */
export class LayerWalker {
  private readonly overlay = new Overlay();
  private readonly layerFindings: Finding[] = [];
  private readonly errors: ScanError[] = [];
  private readonly signal: AbortSignal;
  private readonly dispatch: AnalyzerDispatch;

  constructor(private readonly options: WalkOptions) {
    this.signal = options.signal ?? new AbortController().signal;
    this.dispatch = new AnalyzerDispatch(options.analyzers);
  }

  async walk(image: ImageHandle): Promise<WalkOutput> {
    const budget = layerBudget(this.options.limits);
    const cache = this.options.cache;
    const analyzers = cache ? analyzerKey(this.options.analyzers) : '';
    for (let index = 0; index < image.layers.length; index++) {
      const layer = image.layers[index]!;
      const what = `layer ${layer.digest}`;
      const key = cache ? layerKey(image, layer, analyzers) : undefined;
      if (typeof key === 'object')
        this.options.onCache?.(index, layer, { outcome: 'uncacheable', reason: key.reason });
      const cacheKey = typeof key === 'string' ? key : undefined;
      const ctx: LayerContext = {
        index,
        layer,
        what,
        changes: emptyChanges(),
        tar: true,
        errors: [],
        findings: [],
        ...(cacheKey ? { recorder: new LayerRecorder() } : {}),
      };
      const record = cacheKey && cache ? await this.lookup(cache, cacheKey, index, layer) : undefined;
      if (record) {
        this.replay(record, ctx, budget);
      } else {
        const bytes = await this.walkLayer(image, ctx, budget);
        if (cacheKey && cache && bytes) await this.store(cache, cacheKey, ctx, bytes);
      }
      this.overlay.apply(index, ctx.changes);
      this.errors.push(...ctx.errors);
      this.layerFindings.push(...ctx.findings);
      this.options.onLayer?.(index, layer);
    }
    return { files: this.overlay.list(), layerFindings: this.layerFindings, errors: this.errors };
  }

  /**
   * Reads one layer through the analyzers; for a recorded tar layer, returns its uncompressed
   * size once its bytes are known to hash to the diffID (undefined: do not store).
   */
  private async walkLayer(
    image: ImageHandle,
    ctx: LayerContext,
    budget: LayerBudget,
  ): Promise<number | undefined> {
    const content = await image.openLayer(ctx.index, this.signal);
    const plan = (h: TarHeader) => this.plan(h, ctx);
    if (content.kind === 'dir') {
      const dirCtx = { ...ctx, tar: false };
      for await (const entry of dirEntries(content.root)) {
        const run = this.plan(entry, dirCtx);
        if (run) await run(await entry.read());
      }
      return undefined;
    }
    const before = budget.image.used;
    let tar = await decompressLayer(content.stream as Readable, ctx.what, budget);
    // an uncompressed blob's digest is its diffID, verified by the source while streaming
    const hasher = ctx.recorder && ctx.layer.digest !== ctx.layer.diffId ? new DiffIdHasher() : undefined;
    if (hasher) {
      // an error either side ends both; the tar reader sees it
      pipeline(tar, hasher, () => undefined);
      tar = hasher;
    }
    await walkTar(tar, ctx.what, plan);
    const bytes = budget.image.used - before;
    if (!ctx.recorder) return undefined;
    if (hasher && hasher.digest !== ctx.layer.diffId) {
      this.options.onCache?.(ctx.index, ctx.layer, {
        outcome: 'not-stored',
        reason: hasher.digest
          ? `the layer's content hashes to ${hasher.digest}, not its diffID`
          : 'the layer was not read to its end',
      });
      return undefined;
    }
    return bytes;
  }

  /** The layer's cached outcome, or undefined (absent, unreadable, or the backend failed). */
  private async lookup(
    cache: LayerCache,
    key: string,
    index: number,
    layer: LayerInfo,
  ): Promise<LayerRecord | undefined> {
    let data: Uint8Array | undefined;
    try {
      data = await cache.get(key);
    } catch (err) {
      this.options.onCache?.(index, layer, {
        outcome: 'corrupt',
        reason: `cache read failed: ${errorMessage(err)}`,
      });
      return undefined;
    }
    if (data === undefined) {
      this.options.onCache?.(index, layer, { outcome: 'miss' });
      return undefined;
    }
    try {
      const record = decodeLayerRecord(data);
      this.options.onCache?.(index, layer, { outcome: 'hit' });
      return record;
    } catch (err) {
      if (!(err instanceof CorruptEntryError)) throw err;
      this.options.onCache?.(index, layer, { outcome: 'corrupt', reason: err.message });
      return undefined;
    }
  }

  private async store(cache: LayerCache, key: string, ctx: LayerContext, bytes: number): Promise<void> {
    if (ctx.recorder!.overflowed) {
      this.options.onCache?.(ctx.index, ctx.layer, {
        outcome: 'not-stored',
        reason: 'too many entries to cache',
      });
      return;
    }
    const record = ctx.recorder!.finish(ctx.errors, ctx.findings, bytes);
    try {
      const data = encodeLayerRecord(record);
      const stored = await cache.put(key, ctx.layer.diffId, data);
      this.options.onCache?.(
        ctx.index,
        ctx.layer,
        stored
          ? { outcome: 'stored', bytes: data.byteLength }
          : {
              outcome: 'not-stored',
              reason: `entry of ${data.byteLength} bytes is over the cache's entry limit`,
            },
      );
    } catch (err) {
      this.options.onCache?.(ctx.index, ctx.layer, {
        outcome: 'not-stored',
        reason: `cache write failed: ${errorMessage(err)}`,
      });
    }
  }

  /** Applies a cached layer's ops as walking it would have: same changes, errors, findings, budget. */
  private replay(record: LayerRecord, ctx: LayerContext, budget: LayerBudget): void {
    this.checkAborted();
    budget.image.used += record.bytes;
    if (record.bytes > budget.layerBytes || budget.image.used > budget.image.limit) {
      // the same refusal a walk under these limits would have met (cached under looser ones)
      const layer = record.bytes > budget.layerBytes;
      throw new LayerError(
        'TOO_LARGE',
        layer
          ? `${ctx.what}: uncompressed layer is over the ${formatBytes(budget.layerBytes)} limit (${LIMIT_VARIABLES.layerBytes})`
          : `${ctx.what}: uncompressed image is over the ${formatBytes(budget.image.limit)} limit (${LIMIT_VARIABLES.imageBytes})`,
      );
    }
    let payload = 0;
    const { kinds, paths, payloads } = record;
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[i] as OpKind;
      const data = kind === OP.ADD || kind === OP.LINK ? payloads[payload++] : undefined;
      this.apply(ctx, kind, paths[i]!, data);
    }
    ctx.errors.push(...record.errors);
    for (const f of record.findings) {
      ctx.findings.push({ ...f, location: { ...f.location, layer: ctx.layer.digest } });
    }
  }

  /**
   * One decision about an entry, applied to the layer's changes (and recorded when the layer is):
   * what depends on lower layers is looked up in the overlay here, on a walk and a replay alike.
   */
  private apply(ctx: LayerContext, kind: OpKind, path: string, payload?: unknown): void {
    ctx.recorder?.push(kind, path, payload);
    const changes = ctx.changes;
    switch (kind) {
      case OP.OPAQUE:
        changes.opaqueDirs.push(path);
        return;
      case OP.WHITEOUT:
        changes.whiteouts.push(path);
        return;
      case OP.DIR:
        // a directory over a directory merges; over a tracked file it replaces the file
        if (this.overlay.get(path)) changes.replaced.push(path);
        return;
      case OP.SHADOW:
        if (this.overlay.touches(path)) changes.replaced.push(path);
        return;
      case OP.ADD:
        changes.added.set(path, addPayload(payload));
        return;
      case OP.LINK: {
        // a hardlink has its target's bytes: the target's analysis stands for it too
        const [target, wanted] = payload as LinkPayload;
        const results = changes.added.get(target) ?? this.overlay.get(target)?.versions.at(-1)?.results;
        const copied = new Map([...(results ?? [])].filter(([name]) => wanted.includes(name)));
        if (copied.size > 0) changes.added.set(path, copied);
        else if (this.overlay.touches(path)) changes.replaced.push(path);
        return;
      }
    }
  }

  private checkAborted(): void {
    if (this.signal.aborted) {
      // a deadline (--timeout) says which one ran out
      const reason: unknown = this.signal.reason;
      throw new CancelledError(reason instanceof StrataError ? reason.message : undefined);
    }
  }

  /**
   * Decides, from the header alone, what an entry means (whiteout, link, replacement) and whether
   * any analyzer wants its bytes; returns the step that analyses them, or nothing to skip it.
   */
  private plan(entry: TarHeader, ctx: LayerContext): EntryPlan {
    this.checkAborted();
    const path = normalizeEntryPath(entry.name, ctx.what);
    if (path === '') return undefined;
    // a root filesystem directory (`dir:`, one layer) has no lower layers: `.wh.*` files there are files
    if (ctx.tar) {
      const whiteout = readWhiteout(path, entry.kind, ctx.what);
      if (whiteout.kind === 'opaque') this.apply(ctx, OP.OPAQUE, whiteout.dir);
      else if (whiteout.kind === 'whiteout') this.apply(ctx, OP.WHITEOUT, whiteout.path);
      if (whiteout.kind !== 'none') return undefined;
    }
    if (entry.kind === 'hardlink' && entry.linkName !== undefined) {
      const target = normalizeEntryPath(entry.linkName, ctx.what);
      const meta: FileMeta = { path, size: entry.size, mode: entry.mode };
      const wanted = this.dispatch
        .wanting(meta)
        .filter((a) => a.scope !== 'every-layer')
        .map((a) => a.name);
      this.apply(ctx, OP.LINK, path, [target, wanted] satisfies LinkPayload);
      return undefined;
    }
    if (entry.kind === 'dir') {
      this.apply(ctx, OP.DIR, path);
      return undefined;
    }
    if (entry.kind !== 'file') {
      this.apply(ctx, OP.SHADOW, path);
      return undefined;
    }
    const meta: FileMeta = { path, size: entry.size, mode: entry.mode };
    const wanting = this.dispatch.wanting(meta);
    const fitting = wanting.filter((a) => {
      const cap = a.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
      if (entry.size <= cap) return true;
      ctx.errors.push({
        analyzer: a.name,
        path,
        message: `file too large (${entry.size} bytes, limit ${cap})`,
      });
      return false;
    });
    if (fitting.length === 0) {
      this.apply(ctx, OP.SHADOW, path);
      return undefined;
    }
    return async (content: Buffer) => {
      const results = new Map<string, AnalysisResult>();
      await Promise.all(
        fitting.map(async (a) => {
          const result = await this.run(a, { meta, content, layer: ctx.layer }, ctx);
          if (!result) return;
          if (a.scope === 'every-layer') this.collectLayerFindings(result, path, ctx);
          else results.set(a.name, result);
        }),
      );
      if (results.size > 0) this.apply(ctx, OP.ADD, path, results);
      else this.apply(ctx, OP.SHADOW, path);
    };
  }

  private async run(
    analyzer: Analyzer,
    input: { meta: FileMeta; content: Buffer; layer: LayerInfo },
    ctx: LayerContext,
  ): Promise<AnalysisResult | undefined> {
    try {
      const result = await analyzer.analyze(input, this.signal);
      for (const message of result.errors ?? []) {
        ctx.errors.push({ analyzer: analyzer.name, path: input.meta.path, message });
      }
      return result;
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      ctx.errors.push({ analyzer: analyzer.name, path: input.meta.path, message: errorMessage(err) });
      return undefined;
    }
  }

  private collectLayerFindings(result: AnalysisResult, path: string, ctx: LayerContext): void {
    for (const f of result.findings ?? []) {
      ctx.findings.push({
        ...f,
        location: { ...f.location, path: f.location.path ?? path, layer: ctx.layer.digest },
      });
    }
  }
}

export function walkImage(image: ImageHandle, options: WalkOptions): Promise<WalkOutput> {
  return new LayerWalker(options).walk(image);
}
