import type { ScanError } from '../../core/types.js';
import type { HelmOptions } from '../helm/index.js';

/** A path into a resource's object: map keys and sequence indexes, e.g. `['spec', 'containers', 0, 'image']`. */
export type ObjectPath = readonly (string | number)[];

/** One Kubernetes resource read from a file, with the positions needed to point a finding at its line. */
export interface KubeResource {
  readonly apiVersion: string;
  readonly kind: string;
  /** `metadata.name` (or `metadata.generateName` when only that is set; empty when neither is) */
  readonly name: string;
  readonly namespace?: string;
  /** the resource as plain JSON values */
  readonly object: Record<string, unknown>;
  /** the file it came from (`stdin` for `-`) */
  readonly file: string;
  /** 1-based line where the resource starts (its first key; a `List` item's own line) */
  readonly line: number;
  /**
   * 1-based line of the field at `path` (the line of its key for map entries, of the item for
   * sequence entries), or undefined when the path does not exist in the source.
   */
  lineOf(path: ObjectPath): number | undefined;
}

export interface LoadResult {
  readonly resources: KubeResource[];
  readonly errors: ScanError[];
}

export interface LoadOptions {
  /** the stream read for the input `-` (default process.stdin) */
  readonly stdin?: NodeJS.ReadableStream;
  /** values for the Helm charts among the inputs (`--helm-values`, `--helm-set`) */
  readonly helm?: HelmOptions;
}

/** The analyzer name partial failures carry in `errors[]`. */
export const LOADER_NAME = 'kube/load';
