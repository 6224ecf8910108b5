import { isNode, isSeq, LineCounter, parseDocument } from 'yaml';

export interface RawItem {
  readonly value: unknown;
  readonly line: number;
}

/** The top-level items of a rules file with the line each starts on; a file that is not a YAML list throws. */
export function yamlItems(text: string): RawItem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? 1;
    throw Object.assign(new Error(first.message.split('\n')[0] ?? 'not YAML'), { line });
  }
  if (doc.contents === null) return [];
  if (!isSeq(doc.contents))
    throw Object.assign(new Error('a rules file is a YAML list of items'), { line: 1 });
  return doc.contents.items.map((node) => {
    const offset = (node as { range?: [number, number, number] }).range?.[0] ?? 0;
    return {
      value: isNode(node) ? node.toJS(doc, { maxAliasCount: 100 }) : node,
      line: lineCounter.linePos(offset).line,
    };
  });
}
