import { KustomizeError } from './errors.js';

type Json = unknown;

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function pointer(path: string, where: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/'))
    throw new KustomizeError('INVALID', `${where}: JSON pointer ${JSON.stringify(path)} must start with /`);
  return path.slice(1).split('/').map(unescapeToken);
}

function isObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parentOf(doc: Json, tokens: string[], where: string, path: string): Json {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t];
    else throw new KustomizeError('INVALID', `${where}: path ${path} does not exist`);
  }
  if (cur === undefined) throw new KustomizeError('INVALID', `${where}: path ${path} does not exist`);
  return cur;
}

function get(doc: Json, path: string, where: string): Json {
  const tokens = pointer(path, where);
  if (tokens.length === 0) return doc;
  const parent = parentOf(doc, tokens, where, path);
  const last = tokens[tokens.length - 1]!;
  const v = Array.isArray(parent) ? parent[Number(last)] : isObject(parent) ? parent[last] : undefined;
  if (v === undefined) throw new KustomizeError('INVALID', `${where}: path ${path} does not exist`);
  return structuredClone(v);
}

function remove(doc: Json, path: string, where: string): void {
  const tokens = pointer(path, where);
  const parent = parentOf(doc, tokens, where, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length)
      throw new KustomizeError('INVALID', `${where}: path ${path} does not exist`);
    parent.splice(i, 1);
  } else if (isObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
  else throw new KustomizeError('INVALID', `${where}: path ${path} does not exist`);
}

function add(doc: Json, path: string, value: Json, where: string, replace: boolean): Json {
  const tokens = pointer(path, where);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens, where, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length || (replace && i >= parent.length))
      throw new KustomizeError('INVALID', `${where}: index ${last} out of range in ${path}`);
    parent.splice(i, replace ? 1 : 0, value);
  } else if (isObject(parent)) {
    if (replace && !Object.hasOwn(parent, last))
      throw new KustomizeError('INVALID', `${where}: path ${path} does not exist`);
    parent[last] = value;
  } else throw new KustomizeError('INVALID', `${where}: path ${path} does not exist`);
  return doc;
}

/** Applies RFC 6902 operations (add, remove, replace, move, copy, test) to a copy of `doc`. */
export function applyJson6902(doc: Json, ops: readonly Json[], where: string): Json {
  let out = structuredClone(doc);
  for (const op of ops) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string')
      throw new KustomizeError('INVALID', `${where}: each operation needs "op" and "path"`);
    const path = op.path;
    switch (op.op) {
      case 'add':
        out = add(out, path, structuredClone(op.value ?? null), where, false);
        break;
      case 'replace':
        out = add(out, path, structuredClone(op.value ?? null), where, true);
        break;
      case 'remove':
        remove(out, path, where);
        break;
      case 'move':
      case 'copy': {
        if (typeof op.from !== 'string')
          throw new KustomizeError('INVALID', `${where}: ${op.op} needs "from"`);
        const v = get(out, op.from, where);
        if (op.op === 'move') remove(out, op.from, where);
        out = add(out, path, v, where, false);
        break;
      }
      case 'test':
        if (JSON.stringify(get(out, path, where)) !== JSON.stringify(op.value))
          throw new KustomizeError('INVALID', `${where}: test operation failed at ${path}`);
        break;
      default:
        throw new KustomizeError(
          'INVALID',
          `${where}: unknown JSON patch operation ${JSON.stringify(op.op)}`,
        );
    }
  }
  return out;
}
