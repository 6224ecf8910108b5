import { type Document, isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ObjectPath } from './types.js';

/** Finds lines of fields inside one YAML node, resolving aliases through its document. */
export class NodeLines {
  constructor(
    private readonly root: Node,
    private readonly doc: Document,
    /** the 1-based line in the whole stream of an offset into the document's text */
    private readonly lineAtOffset: (offset: number) => number,
  ) {}

  /** line of the node itself (its first character) */
  get line(): number {
    return this.lineAt(this.root) ?? 1;
  }

  lineOf(path: ObjectPath): number | undefined {
    let node: unknown = this.root;
    let line = this.lineAt(this.root);
    for (const segment of path) {
      node = this.resolve(node);
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) return undefined;
        line = this.lineAt(pair.key as Node);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) return undefined;
        line = this.lineAt(item as Node);
        node = item;
      } else {
        return undefined;
      }
    }
    return line;
  }

  private resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  private lineAt(node: Node | null | undefined): number | undefined {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : this.lineAtOffset(offset);
  }
}
