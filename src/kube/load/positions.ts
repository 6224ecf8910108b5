import { type Document, isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import { flatString } from './compact.js';
import type { ObjectPath } from './types.js';

/**
 * The lines of a document's fields, kept instead of the document: a resource lives as long as the
 * scan and the YAML library's node tree is several times the size of the object it describes, so a
 * resource keeps only this index. A scalar is its line (a small integer, no allocation); a mapping
 * keeps, per scalar key, the key, the key's line and the value's index; a sequence keeps its items'.
 */
export type LineIndex = number | MapLines | SeqLines;

class MapLines {
  constructor(
    readonly line: number,
    /** flat triples: key, key line, value index */
    readonly entries: readonly (string | LineIndex)[],
  ) {}
}

class SeqLines {
  constructor(
    readonly line: number,
    readonly items: readonly LineIndex[],
  ) {}
}

const lineOfIndex = (index: LineIndex): number => (typeof index === 'number' ? index : index.line);

/**
 * Builds the index of `root`. Aliases are followed through `doc` to their anchor, whose index is
 * built once and shared (so an alias-heavy document costs its size, not its expansion); an alias
 * keeps its own line.
 */
export function buildLineIndex(root: Node, doc: Document, lineAt: (offset: number) => number): LineIndex {
  const built = new Map<Node, LineIndex>();
  const lineOfNode = (node: Node | null | undefined): number | undefined => {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : lineAt(offset);
  };
  const build = (node: unknown): LineIndex => {
    if (isAlias(node)) {
      const target = build(node.resolve(doc));
      const line = lineOfNode(node) ?? 0;
      if (target instanceof MapLines) return new MapLines(line, target.entries);
      if (target instanceof SeqLines) return new SeqLines(line, target.items);
      return line;
    }
    if (!isMap(node) && !isSeq(node)) return lineOfNode(node as Node | null) ?? 0;
    const seen = built.get(node);
    if (seen !== undefined) return seen;
    const line = lineOfNode(node) ?? 0;
    let index: LineIndex;
    if (isMap(node)) {
      const entries: (string | LineIndex)[] = [];
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        entries.push(flatString(String(pair.key.value)), lineOfNode(pair.key) ?? 0, build(pair.value));
      }
      index = new MapLines(line, entries);
    } else {
      index = new SeqLines(
        line,
        node.items.map((item) => build(item)),
      );
    }
    built.set(node, index);
    return index;
  };
  return build(root);
}

/** Line of the indexed node itself (its first character), 1 when unknown. */
export function indexLine(index: LineIndex): number {
  return lineOfIndex(index) || 1;
}

/** The index of the value at `path`, or undefined when the path does not exist in the source. */
export function indexAt(index: LineIndex, path: ObjectPath): LineIndex | undefined {
  let node: LineIndex = index;
  for (const segment of path) {
    const next = step(node, segment);
    if (!next) return undefined;
    node = next.value;
  }
  return node;
}

/** One step down: the line that names `segment` (its key's, or the item's) and its value's index. */
function step(node: LineIndex, segment: string | number): { line: number; value: LineIndex } | undefined {
  if (node instanceof MapLines) {
    const key = String(segment);
    const { entries } = node;
    for (let i = 0; i < entries.length; i += 3) {
      if (entries[i] === key) return { line: entries[i + 1] as number, value: entries[i + 2] as LineIndex };
    }
    return undefined;
  }
  if (node instanceof SeqLines && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { line: lineOfIndex(item), value: item };
  }
  return undefined;
}

/**
 * 1-based line of the field at `path` (the line of its key for map entries, of the item for
 * sequence entries), or undefined when the path does not exist in the source.
 */
export function lineOfPath(index: LineIndex, path: ObjectPath): number | undefined {
  let node: LineIndex = index;
  let line: number | undefined = lineOfIndex(index) || undefined;
  for (const segment of path) {
    const next = step(node, segment);
    if (!next) return undefined;
    line = next.line || undefined;
    node = next.value;
  }
  return line;
}

/**
 * The lines of a document as one typed array, for documents whose object has the shape of its
 * YAML (no alias, no merge key, every mapping key a scalar naming its own JS key, in order): the
 * keys are not stored (the object has them, in the same order), so a resource keeps about eight
 * bytes per field. Pre-order records: a node is `[line, length, ...children]` (`length` counts
 * its ints); a mapping's children are, per entry, the key's line then the value's node; a
 * sequence's are its items' nodes.
 */
export interface PackedLines {
  readonly rec: Int32Array;
  /** where the node of the resource's object starts */
  readonly at: number;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** Packs the lines of `root` against `value` (its `toJS`), or undefined when their shapes differ. */
export function packLines(
  root: Node,
  value: unknown,
  lineAt: (offset: number) => number,
): Int32Array | undefined {
  const out: number[] = [];
  const lineOfNode = (node: Node | null | undefined): number => {
    const offset = node?.range?.[0];
    return offset === undefined ? 0 : lineAt(offset);
  };
  const pack = (node: unknown, js: unknown): boolean => {
    if (isAlias(node)) return false;
    const start = out.length;
    out.push(lineOfNode(node as Node | null), 0);
    if (isMap(node)) {
      if (!isPlainObject(js)) return false;
      const keys = Object.keys(js);
      if (keys.length !== node.items.length) return false;
      for (let i = 0; i < keys.length; i++) {
        const pair = node.items[i]!;
        const key = pair.key;
        if (!isScalar(key) || isAlias(pair.value) || String(key.value) !== keys[i]) return false;
        out.push(lineOfNode(key));
        if (!pack(pair.value, js[keys[i]!])) return false;
      }
    } else if (isSeq(node)) {
      if (!Array.isArray(js) || js.length !== node.items.length) return false;
      for (let i = 0; i < js.length; i++) if (!pack(node.items[i], js[i])) return false;
    } else if (Array.isArray(js) || isPlainObject(js)) {
      return false;
    }
    out[start + 1] = out.length - start;
    return true;
  };
  return pack(root, value) ? Int32Array.from(out) : undefined;
}

/** The node of `path` under the node at `at` (whose value is `js`): its record and value, or undefined. */
function packedStep(
  rec: Int32Array,
  at: number,
  js: unknown,
  segment: string | number,
): { line: number; at: number; js: unknown } | undefined {
  if (Array.isArray(js)) {
    if (typeof segment !== 'number' || !Number.isInteger(segment) || segment < 0 || segment >= js.length)
      return undefined;
    let p = at + 2;
    for (let i = 0; i < segment; i++) p += rec[p + 1]!;
    return { line: rec[p]!, at: p, js: js[segment] };
  }
  if (!isPlainObject(js)) return undefined;
  const key = String(segment);
  let p = at + 2;
  for (const k in js) {
    if (k === key) return { line: rec[p]!, at: p + 1, js: js[k] };
    p += 1 + rec[p + 2]!;
  }
  return undefined;
}

/** `indexAt` on packed lines: where the node at `path` starts, or undefined. */
export function packedAt(rec: Int32Array, at: number, js: unknown, path: ObjectPath): number | undefined {
  let node = { line: 0, at, js };
  for (const segment of path) {
    const next = packedStep(rec, node.at, node.js, segment);
    if (!next) return undefined;
    node = next;
  }
  return node.at;
}

/** `lineOfPath` on packed lines (`js` is the object the node at `at` describes). */
export function packedLineOf(rec: Int32Array, at: number, js: unknown, path: ObjectPath): number | undefined {
  let line: number | undefined = rec[at]! || undefined;
  let node = { line: 0, at, js };
  for (const segment of path) {
    const next = packedStep(rec, node.at, node.js, segment);
    if (!next) return undefined;
    line = next.line || undefined;
    node = next;
  }
  return line;
}
