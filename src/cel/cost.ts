/**
 * Bounds on what one rule may cost. cel-js has parse-time structural limits but no evaluation
 * cost limit, and `matches()` runs a backtracking RegExp; so a rule is checked once when it is
 * loaded (comprehension nesting, `matches()` patterns) and every evaluation reads the resource
 * through a counter that stops it after a fixed number of reads.
 */

/** parse-time limits handed to cel-js */
export const CEL_LIMITS = {
  maxAstNodes: 10_000,
  maxDepth: 100,
  maxListElements: 1_000,
  maxMapEntries: 1_000,
};

/** comprehensions inside comprehensions: two levels (containers, then their ports) is enough */
export const MAX_COMPREHENSION_DEPTH = 2;

/** reads of the resource one evaluation may make */
export const MAX_READS = 1_000_000;

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

interface AstNode {
  readonly op: string;
  readonly args: unknown;
}

const isNode = (v: unknown): v is AstNode =>
  typeof v === 'object' && v !== null && typeof (v as { op?: unknown }).op === 'string';

/** The reason a parsed expression would cost too much, or undefined. */
export function costProblem(ast: unknown): string | undefined {
  return walk(ast, 0);
}

function walk(node: unknown, depth: number): string | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const problem = walk(child, depth);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!isNode(node) || node.op === 'value' || !Array.isArray(node.args)) return undefined;
  const [name, receiver, args] = node.args as unknown[];
  if (node.op === 'rcall' && typeof name === 'string') {
    if (name === 'matches') {
      const problem = patternProblem(Array.isArray(args) ? args[0] : undefined);
      if (problem) return problem;
    }
    if (COMPREHENSIONS.has(name)) {
      if (depth + 1 > MAX_COMPREHENSION_DEPTH)
        return `comprehensions nest deeper than ${MAX_COMPREHENSION_DEPTH} levels`;
      return walk(receiver, depth) ?? walk(args, depth + 1);
    }
  }
  return walk(node.args, depth);
}

/**
 * `matches()` needs a constant pattern without nested quantifiers (`(a+)+`, `(a|aa)*`): those are
 * the patterns a backtracking engine takes exponential time on.
 */
function patternProblem(pattern: unknown): string | undefined {
  if (!isNode(pattern) || pattern.op !== 'value' || typeof pattern.args !== 'string')
    return 'matches() needs a constant pattern';
  return nestedQuantifier(pattern.args)
    ? `matches() pattern ${JSON.stringify(pattern.args)} nests quantifiers`
    : undefined;
}

/** Whether a quantified group contains a quantifier or an alternation (star height above one). */
export function nestedQuantifier(pattern: string): boolean {
  const groups: { quantified: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') groups.push({ quantified: false });
    else if (c === ')') {
      const group = groups.pop();
      const next = pattern[i + 1];
      const quantifiedGroup = next === '*' || next === '+' || next === '?' || next === '{';
      if (group?.quantified && quantifiedGroup && next !== '?') return true;
      if (group && groups.length > 0 && (group.quantified || quantifiedGroup))
        groups.at(-1)!.quantified = true;
    } else if ((c === '*' || c === '+' || c === '{' || c === '|') && groups.length > 0)
      groups.at(-1)!.quantified = true;
  }
  return false;
}

export class CelBudgetExceeded extends Error {
  constructor() {
    super(`evaluation stopped after ${MAX_READS} reads of the resource`);
  }
}

/** The resource as the rule sees it, every property read counted; past MAX_READS evaluation stops. */
export function budgeted(object: Record<string, unknown>): Record<string, unknown> {
  let reads = 0;
  const cache = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    let proxy = cache.get(value);
    if (!proxy) {
      proxy = new Proxy(value, {
        get(target, key, receiver) {
          if (++reads > MAX_READS) throw new CelBudgetExceeded();
          return wrap(Reflect.get(target, key, receiver));
        },
        // iterating a map lists its keys: each key counts as a read
        ownKeys(target) {
          const keys = Reflect.ownKeys(target);
          reads += keys.length;
          if (reads > MAX_READS) throw new CelBudgetExceeded();
          return keys;
        },
      });
      cache.set(value, proxy);
    }
    return proxy;
  };
  return wrap(object) as Record<string, unknown>;
}
