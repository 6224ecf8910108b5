import type { AnalysisResult } from '../../core/analyzer.js';
import { ancestors, isUnder } from './path.js';

/** What the analyzers made of one version of a file. */
export interface FileVersion {
  readonly layerIndex: number;
  readonly results: ReadonlyMap<string, AnalysisResult>;
}

/** A file analysed by some `final`-scope analyzer, as it stands after the layers so far. */
export interface TrackedFile {
  readonly path: string;
  /** the current version, last; earlier versions at the same path kept while the file was never deleted */
  readonly versions: readonly FileVersion[];
}

/** One layer's changes, collected during its walk and applied at its end (tar order is arbitrary). */
export interface LayerChanges {
  readonly opaqueDirs: string[];
  readonly whiteouts: string[];
  /** paths this layer replaces with something not analysed (a dir, a symlink, an unwanted file) */
  readonly replaced: string[];
  readonly added: Map<string, ReadonlyMap<string, AnalysisResult>>;
}

export function emptyChanges(): LayerChanges {
  return { opaqueDirs: [], whiteouts: [], replaced: [], added: new Map() };
}

/**
 * The union filesystem, restricted to the files analyzers asked for. Whiteouts and opaque
 * directories of a layer hide what lower layers had; a layer's own entries stay visible.
 */
export class Overlay {
  private readonly files = new Map<string, TrackedFile>();
  /** directory -> number of tracked files below it, so "anything under X?" is one lookup */
  private readonly dirs = new Map<string, number>();

  get(path: string): TrackedFile | undefined {
    return this.files.get(path);
  }

  /** true when `path` is a tracked file or has tracked files below it */
  touches(path: string): boolean {
    return this.files.has(path) || this.dirs.has(path);
  }

  apply(layerIndex: number, changes: LayerChanges): void {
    for (const dir of changes.opaqueDirs) this.removeBelow(dir);
    for (const path of changes.whiteouts) this.removeTree(path);
    for (const path of changes.replaced) if (!changes.added.has(path)) this.removeTree(path);
    for (const [path, results] of changes.added) {
      this.removeBelow(path); // a file replaces a directory that had tracked files
      const previous = this.files.get(path);
      const version = { layerIndex, results };
      if (previous) this.files.set(path, { path, versions: [...previous.versions, version] });
      else this.insert({ path, versions: [version] });
    }
  }

  /** Final files, sorted by path. */
  list(): TrackedFile[] {
    return [...this.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private insert(file: TrackedFile): void {
    this.files.set(file.path, file);
    for (const dir of ancestors(file.path)) this.dirs.set(dir, (this.dirs.get(dir) ?? 0) + 1);
  }

  private delete(path: string): void {
    if (!this.files.delete(path)) return;
    for (const dir of ancestors(path)) {
      const n = (this.dirs.get(dir) ?? 0) - 1;
      if (n <= 0) this.dirs.delete(dir);
      else this.dirs.set(dir, n);
    }
  }

  private removeTree(path: string): void {
    this.delete(path);
    this.removeBelow(path);
  }

  private removeBelow(dir: string): void {
    if (dir !== '' && !this.dirs.has(dir)) return;
    for (const path of [...this.files.keys()]) if (isUnder(path, dir)) this.delete(path);
  }
}
