import {
  BINARY_OPS,
  type BinaryOp,
  type FieldRef,
  LIST_OPS,
  type ListOp,
  type Node,
} from '../condition/ast.js';
import type { ExceptionDef } from '../rule-types.js';
import { DefinitionError } from './definitions.js';

const FIELD = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)(?:\[(.*)\])?$/s;

function fieldRef(text: string, exception: string): FieldRef {
  const m = FIELD.exec(text);
  if (!m) throw new DefinitionError(`exception "${exception}": "${text}" is not a field`);
  return m[2] === undefined ? { name: m[1] as string } : { name: m[1] as string, arg: m[2] };
}

const scalar = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function check(field: FieldRef, comp: string, value: unknown, exception: string): Node {
  if (LIST_OPS.has(comp)) {
    const items = Array.isArray(value)
      ? value.map((v) => ({ kind: 'literal' as const, value: scalar(v), bare: false }))
      : [{ kind: 'literal' as const, value: scalar(value), bare: true }];
    return { kind: 'list', op: comp as ListOp, field, items };
  }
  if (BINARY_OPS.has(comp)) {
    if (Array.isArray(value))
      throw new DefinitionError(`exception "${exception}": "${comp}" takes one value, not a list`);
    return { kind: 'binary', op: (comp === '==' ? '=' : comp) as BinaryOp, field, value: scalar(value) };
  }
  throw new DefinitionError(`exception "${exception}": unknown comparison "${comp}"`);
}

/**
 * One exception as a condition that, when true, silences the rule. One field: `field in (values)`
 * (comps defaults to `in`); a tuple of fields: each value a tuple, comps defaulting to `=`.
 */
export function exceptionNode(e: ExceptionDef): Node | undefined {
  if (e.values.length === 0) return undefined;
  if (typeof e.fields === 'string') {
    const comp = typeof e.comps === 'string' ? e.comps : 'in';
    const field = fieldRef(e.fields, e.name);
    if (LIST_OPS.has(comp)) return check(field, comp, e.values, e.name);
    return { kind: 'or', items: e.values.map((v) => check(field, comp, v, e.name)) };
  }
  const fields = e.fields.map((f) => fieldRef(f, e.name));
  const comps =
    e.comps === undefined ? fields.map(() => '=') : typeof e.comps === 'string' ? [e.comps] : e.comps;
  if (comps.length !== fields.length) {
    throw new DefinitionError(`exception "${e.name}": ${fields.length} fields but ${comps.length} comps`);
  }
  const tuples = e.values.map((tuple) => {
    if (!Array.isArray(tuple) || tuple.length !== fields.length) {
      throw new DefinitionError(
        `exception "${e.name}": each value must be a list of ${fields.length} item(s)`,
      );
    }
    return {
      kind: 'and' as const,
      items: fields.map((f, i) => check(f, comps[i] as string, tuple[i], e.name)),
    };
  });
  return { kind: 'or', items: tuples };
}
