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
  /** per base name / extension: the analyzers to ask, `always` included, in order */
  private readonly byName = new Map<string, readonly number[]>();
  private readonly byExtension = new Map<string, readonly number[]>();

  constructor(private readonly analyzers: readonly Analyzer[]) {
    const always: number[] = [];
    const names = new Map<string, number[]>();
    const extensions = new Map<string, number[]>();
    analyzers.forEach((a, i) => {
      const wants = a.wants;
      if (!wants) {
        always.push(i);
        return;
      }
      for (const name of wants.names ?? []) add(names, name, i);
      for (const ext of wants.extensions ?? []) add(extensions, ext.toLowerCase(), i);
    });
    this.always = always;
    for (const [key, list] of names) this.byName.set(key, merge(always, list));
    for (const [key, list] of extensions) this.byExtension.set(key, merge(always, list));
  }

  /** the analyzers whose `required()` is true for this file, in registration order */
  wanting(meta: FileMeta): Analyzer[] {
    const path = meta.path;
    const slash = path.lastIndexOf('/');
    const dot = path.lastIndexOf('.');
    const named = this.byName.size ? this.byName.get(path.slice(slash + 1)) : undefined;
    // an extension is the text after the last dot of the base name (`.bashrc`: `bashrc`)
    const extended =
      dot > slash && this.byExtension.size
        ? this.byExtension.get(path.slice(dot + 1).toLowerCase())
        : undefined;
    const candidates = named && extended ? merge(named, extended) : (named ?? extended ?? this.always);
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

function merge(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
