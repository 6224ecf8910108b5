import type { Finding, LayerInfo } from './types.js';

/** What `required()` may look at: never the bytes, so it stays pure and cheap. */
export interface FileMeta {
  /** normalised: no leading `/` or `./`, `/`-separated, never `..` */
  readonly path: string;
  readonly size: number;
  readonly mode: number;
}

/** How a package manager names its packages; ecosystem and purl are derived from it (and the OS). */
export type PackageType =
  | 'deb'
  | 'apk'
  | 'rpm'
  | 'npm'
  | 'pypi'
  | 'golang'
  | 'maven'
  | 'gem'
  | 'cargo'
  | 'composer'
  | 'nuget';

/** A package as an analyzer sees it, before the OS is known (ecosystem and purl come later). */
export interface PackageDraft {
  readonly type: PackageType;
  readonly name: string;
  /** npm scope, maven groupId, go module path prefix... (purl namespace); for OS packages the distro is used */
  readonly namespace?: string;
  readonly version: string;
  readonly source?: { readonly name: string; readonly version: string };
  readonly arch?: string;
  readonly epoch?: number;
  readonly licenses?: readonly string[];
  readonly maintainer?: string;
  readonly vendor?: string;
  readonly dev?: boolean;
  /** the file that recorded the package (normally the analysed file) */
  readonly path?: string;
  readonly extra?: Readonly<Record<string, string | number | boolean>>;
}

export interface AnalysisInput {
  readonly meta: FileMeta;
  /** the file's bytes; never more than the analyzer's `maxFileSize` */
  readonly content: Buffer;
  /** the layer being walked; absent for `strata fs` */
  readonly layer?: LayerInfo;
}

export interface AnalysisResult {
  readonly packages?: readonly PackageDraft[];
  /** the text of an OS release file; the OS is decided once, from all of them, on the final filesystem */
  readonly osRelease?: string;
  /** licenses found apart from the package database (dpkg copyright files) */
  readonly licenses?: readonly {
    readonly type: PackageType;
    readonly name: string;
    readonly licenses: readonly string[];
  }[];
  /**
   * Files an OS package manager says a package installed (dpkg's `info/*.list`), normalised
   * like FileMeta.path: the ground for telling language packages the OS installed.
   */
  readonly ownedFiles?: readonly {
    readonly type: PackageType;
    readonly name: string;
    readonly arch?: string;
    readonly paths: readonly string[];
  }[];
  /** secrets, misconfigurations: location.path/layer are filled by the runner when absent */
  readonly findings?: readonly Finding[];
  /** per-file problems that did not stop the analyzer */
  readonly errors?: readonly string[];
}

export interface Analyzer {
  /** `os/dpkg`, `lang/npm`, `secret/builtin` */
  readonly name: string;
  /**
   * Part of the layer-cache key: bump it whenever what `analyze` returns for the same file changes
   * (a parser fix, a new field), or cached layers keep the old output. `analyze` must depend only
   * on the file (path, size, mode, bytes) and the analyzer's own config, never on `input.layer`.
   */
  readonly version: number;
  /**
   * A digest of the configuration that changes the output (the secret analyzer's rules), also
   * part of the layer-cache key; absent when the analyzer has none.
   */
  readonly cacheKey?: string;
  /**
   * `final` (default): only files that survive to the final filesystem count, as the package
   * manager sees them. `every-layer`: every layer's copy counts, even when a later layer deletes
   * it (secrets: a deleted file is still in the image).
   */
  readonly scope?: 'final' | 'every-layer';
  /** bytes; larger wanted files are reported in `errors[]` and skipped (default 64 MiB) */
  readonly maxFileSize?: number;
  required(file: FileMeta): boolean;
  /**
   * Which files `required()` can possibly want, for the walker to index once instead of asking
   * every analyzer about every file: base names (exact) and extensions (after the last dot,
   * lower-cased). `required()` still decides, but is only asked about files that match; an
   * analyzer without it is asked about every file.
   */
  readonly wants?: FileInterest;
  analyze(input: AnalysisInput, signal: AbortSignal): Promise<AnalysisResult>;
}

export interface FileInterest {
  readonly names?: readonly string[];
  readonly extensions?: readonly string[];
}

export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
