import { type Document, isMap, isScalar, visit } from 'yaml';

/**
 * The offset of the first duplicate key in any mapping of the document, or undefined. The YAML
 * library's own check compares each key with every earlier one (an 80 000-key mapping took 90 s);
 * this one keeps one set of scalar key values per mapping, so it is linear. Same equality as the
 * library's: two scalar keys clash when their values are identical (`===`).
 */
export function firstDuplicateKey(doc: Document.Parsed): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return undefined;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const value = pair.key.value;
        if (seen.has(value) && !Number.isNaN(value)) {
          found = pair.key.range?.[0] ?? 0;
          return visit.BREAK;
        }
        seen.add(value);
      }
      return undefined;
    },
  });
  return found;
}
