import type { Readable } from 'node:stream';
import {
  type AnalysisResult,
  type Analyzer,
  DEFAULT_MAX_FILE_SIZE,
  type FileMeta,
} from '../../core/analyzer.js';
import { CancelledError, errorMessage, StrataError } from '../../core/errors.js';
import type { DecompressionLimits } from '../../core/limits.js';
import type { Finding, LayerInfo, ScanError } from '../../core/types.js';
import type { ImageHandle } from '../types.js';
import { decompressLayer, layerBudget } from './decompress.js';
import { dirEntries } from './dir-entries.js';
import { emptyChanges, type LayerChanges, Overlay, type TrackedFile } from './overlay.js';
import { normalizeEntryPath } from './path.js';
import { type EntryPlan, type TarHeader, walkTar } from './tar-parser.js';
import { readWhiteout } from './whiteout.js';

export interface WalkOptions {
  readonly analyzers: readonly Analyzer[];
  readonly signal?: AbortSignal;
  /** how far layers may expand (default: `decompressionLimits()`, i.e. the defaults and STRATA_MAX_*) */
  readonly limits?: DecompressionLimits;
  /** called after each layer with its index and uncompressed bytes seen */
  readonly onLayer?: (index: number, layer: LayerInfo) => void;
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

  constructor(private readonly options: WalkOptions) {
    this.signal = options.signal ?? new AbortController().signal;
  }

  async walk(image: ImageHandle): Promise<WalkOutput> {
    const budget = layerBudget(this.options.limits);
    for (let index = 0; index < image.layers.length; index++) {
      const layer = image.layers[index]!;
      const content = await image.openLayer(index, this.signal);
      const ctx: LayerContext = {
        index,
        layer,
        what: `layer ${layer.digest}`,
        changes: emptyChanges(),
        tar: content.kind === 'tar',
      };
      const plan = (h: TarHeader) => this.plan(h, ctx);
      if (content.kind === 'dir') {
        for await (const entry of dirEntries(content.root)) {
          const run = plan(entry);
          if (run) await run(await entry.read());
        }
      } else {
        await walkTar(await decompressLayer(content.stream as Readable, ctx.what, budget), ctx.what, plan);
      }
      this.overlay.apply(index, ctx.changes);
      this.options.onLayer?.(index, layer);
    }
    return { files: this.overlay.list(), layerFindings: this.layerFindings, errors: this.errors };
  }

  /**
   * Decides, from the header alone, what an entry means (whiteout, link, replacement) and whether
   * any analyzer wants its bytes; returns the step that analyses them, or nothing to skip it.
   */
  private plan(entry: TarHeader, ctx: LayerContext): EntryPlan {
    if (this.signal.aborted) {
      // a deadline (--timeout) says which one ran out
      const reason: unknown = this.signal.reason;
      throw new CancelledError(reason instanceof StrataError ? reason.message : undefined);
    }
    const path = normalizeEntryPath(entry.name, ctx.what);
    if (path === '') return undefined;
    // a root filesystem directory (`dir:`, one layer) has no lower layers: `.wh.*` files there are files
    if (ctx.tar) {
      const whiteout = readWhiteout(path, entry.kind, ctx.what);
      if (whiteout.kind === 'opaque') ctx.changes.opaqueDirs.push(whiteout.dir);
      else if (whiteout.kind === 'whiteout') ctx.changes.whiteouts.push(whiteout.path);
      if (whiteout.kind !== 'none') return undefined;
    }
    if (entry.kind === 'hardlink' && entry.linkName !== undefined) {
      this.linkHard(path, normalizeEntryPath(entry.linkName, ctx.what), entry, ctx);
      return undefined;
    }
    if (entry.kind === 'dir') {
      // a directory over a directory merges; over a tracked file it replaces the file
      if (this.overlay.get(path)) ctx.changes.replaced.push(path);
      return undefined;
    }
    if (entry.kind !== 'file') {
      if (this.overlay.touches(path)) ctx.changes.replaced.push(path);
      return undefined;
    }
    const meta: FileMeta = { path, size: entry.size, mode: entry.mode };
    const wanting = this.options.analyzers.filter((a) => a.required(meta));
    const fitting = wanting.filter((a) => {
      const cap = a.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
      if (entry.size <= cap) return true;
      this.errors.push({
        analyzer: a.name,
        path,
        message: `file too large (${entry.size} bytes, limit ${cap})`,
      });
      return false;
    });
    if (fitting.length === 0) {
      if (this.overlay.touches(path)) ctx.changes.replaced.push(path);
      return undefined;
    }
    return async (content: Buffer) => {
      const results = new Map<string, AnalysisResult>();
      await Promise.all(
        fitting.map(async (a) => {
          const result = await this.run(a, { meta, content, layer: ctx.layer });
          if (!result) return;
          if (a.scope === 'every-layer') this.collectLayerFindings(result, path, ctx.layer);
          else results.set(a.name, result);
        }),
      );
      if (results.size > 0) ctx.changes.added.set(path, results);
      else if (this.overlay.touches(path)) ctx.changes.replaced.push(path);
    };
  }

  private async run(
    analyzer: Analyzer,
    input: { meta: FileMeta; content: Buffer; layer: LayerInfo },
  ): Promise<AnalysisResult | undefined> {
    try {
      const result = await analyzer.analyze(input, this.signal);
      for (const message of result.errors ?? []) {
        this.errors.push({ analyzer: analyzer.name, path: input.meta.path, message });
      }
      return result;
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      this.errors.push({ analyzer: analyzer.name, path: input.meta.path, message: errorMessage(err) });
      return undefined;
    }
  }

  private collectLayerFindings(result: AnalysisResult, path: string, layer: LayerInfo): void {
    for (const f of result.findings ?? []) {
      this.layerFindings.push({
        ...f,
        location: { ...f.location, path: f.location.path ?? path, layer: layer.digest },
      });
    }
  }

  /** A hardlink has its target's bytes: the target's analysis stands for it too. */
  private linkHard(path: string, target: string, entry: TarHeader, ctx: LayerContext): void {
    const results = ctx.changes.added.get(target) ?? this.overlay.get(target)?.versions.at(-1)?.results;
    const meta: FileMeta = { path, size: entry.size, mode: entry.mode };
    const wanted = this.options.analyzers.filter((a) => a.scope !== 'every-layer' && a.required(meta));
    const copied = new Map([...(results ?? [])].filter(([name]) => wanted.some((a) => a.name === name)));
    if (copied.size > 0) ctx.changes.added.set(path, copied);
    else if (this.overlay.touches(path)) ctx.changes.replaced.push(path);
  }
}

export function walkImage(image: ImageHandle, options: WalkOptions): Promise<WalkOutput> {
  return new LayerWalker(options).walk(image);
}
