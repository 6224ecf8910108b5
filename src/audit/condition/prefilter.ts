import type { Node } from './ast.js';
import { expandItems } from './compile.js';

/** The verbs and resources a condition can match at all; `undefined` = any. */
export interface Prefilter {
  readonly verbs?: ReadonlySet<string>;
  readonly resources?: ReadonlySet<string>;
}

type Key = 'verbs' | 'resources';
const FIELD_KEY: Readonly<Record<string, Key>> = { 'ka.verb': 'verbs', 'ka.target.resource': 'resources' };

const intersect = (a?: ReadonlySet<string>, b?: ReadonlySet<string>) =>
  a && b ? new Set([...a].filter((x) => b.has(x))) : (a ?? b);
const union = (a?: ReadonlySet<string>, b?: ReadonlySet<string>) =>
  a && b ? new Set([...a, ...b]) : undefined;

/**
 * Derives the prefilter from positive `ka.verb`/`ka.target.resource` equalities and in-lists: through
 * `and` (intersection), `or` (union, only when every branch constrains) and macros; never through `not`.
 */
export function prefilter(
  node: Node,
  macro: (name: string) => Node,
  lists: ReadonlyMap<string, readonly string[]>,
  depth = 0,
): Prefilter {
  if (depth > 512) return {};
  switch (node.kind) {
    case 'binary': {
      const key = node.field.arg === undefined ? FIELD_KEY[node.field.name] : undefined;
      return key && node.op === '=' ? { [key]: new Set([node.value]) } : {};
    }
    case 'list': {
      const key = node.field.arg === undefined ? FIELD_KEY[node.field.name] : undefined;
      return key && node.op !== 'pmatch' ? { [key]: expandItems(node.items, lists) } : {};
    }
    case 'macro':
      return prefilter(macro(node.name), macro, lists, depth + 1);
    case 'and':
      return node.items
        .map((n) => prefilter(n, macro, lists, depth + 1))
        .reduce<Prefilter>(
          (a, b) => ({
            verbs: intersect(a.verbs, b.verbs),
            resources: intersect(a.resources, b.resources),
          }),
          {},
        );
    case 'or': {
      const parts = node.items.map((n) => prefilter(n, macro, lists, depth + 1));
      return parts
        .slice(1)
        .reduce<Prefilter>(
          (a, b) => ({ verbs: union(a.verbs, b.verbs), resources: union(a.resources, b.resources) }),
          parts[0] ?? {},
        );
    }
    default:
      return {};
  }
}
