import type { Analyzer, FileMeta } from '../../core/analyzer.js';

/**
 * Which analyzers want a file, decided through an index built once per walk: an analyzer that
 * declares `wants` (base names, extensions) is asked (`required()`) only about files that match
 * it; the others are asked about every file. A layer has thousands of files and Strata dozens of
 * analyzers, most of them after one or two file names: this is one or two map lookups per file
 * instead of a call to every analyzer. The order of the result is the order of `analyzers`.
 */
export class AnalyzerDispatch {
  /** analyzers asked about every file */
  private readonly always: readonly number[];
  private readonly byName = new Map<string, number[]>();
  private readonly byExtension = new Map<string, number[]>();

  constructor(private readonly analyzers: readonly Analyzer[]) {
    const always: number[] = [];
    analyzers.forEach((a, i) => {
      const wants = a.wants;
      if (!wants) {
        always.push(i);
        return;
      }
      for (const name of wants.names ?? []) add(this.byName, name, i);
      for (const ext of wants.extensions ?? []) add(this.byExtension, ext.toLowerCase(), i);
    });
    this.always = always;
  }

  /** the analyzers whose `required()` is true for this file, in registration order */
  wanting(meta: FileMeta): Analyzer[] {
    const slash = meta.path.lastIndexOf('/');
    const dot = meta.path.lastIndexOf('.');
    const named = this.byName.size ? this.byName.get(meta.path.slice(slash + 1)) : undefined;
    // an extension is the text after the last dot of the base name (`.bashrc`: `bashrc`)
    const extended =
      dot > slash && this.byExtension.size
        ? this.byExtension.get(meta.path.slice(dot + 1).toLowerCase())
        : undefined;
    let candidates: readonly number[] = this.always;
    if (named || extended) {
      const merged = new Set([...this.always, ...(named ?? []), ...(extended ?? [])]);
      candidates = [...merged].sort((a, b) => a - b);
    }
    const out: Analyzer[] = [];
    for (const i of candidates) {
      const a = this.analyzers[i]!;
      if (a.required(meta)) out.push(a);
    }
    return out;
  }
}

function add(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(index)) list.push(index);
  } else map.set(key, [index]);
}
