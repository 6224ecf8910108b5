export type EntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

/** One entry of a root-filesystem directory walked as a layer (`dir:` and `strata fs`). */
export interface LayerEntry {
  /** relative to the root, `/`-separated */
  readonly name: string;
  readonly kind: EntryKind;
  readonly size: number;
  readonly mode: number;
  /** symlink target, or the hardlink's target entry name */
  readonly linkName?: string;
  /** the file's bytes, read only when an analyzer asked for them */
  read(): Promise<Buffer>;
}
