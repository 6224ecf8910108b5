import type { BinaryOp, ListOp } from './ast.js';

const NUMBER = /^-?\d+(\.\d+)?$/;

function order(a: string, b: string): number {
  if (NUMBER.test(a) && NUMBER.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A glob as a regular expression: `*` any run, `?` one character, `[...]` a class. */
export function globRegExp(glob: string, flags = ''): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) re += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, `s${flags}`);
}

/** Equal as text, or as numbers when the operand is one (`200` = `200.0`). */
function equality(operand: string): (v: string) => boolean {
  if (!NUMBER.test(operand)) return (v) => v === operand;
  const n = Number(operand);
  return (v) => v === operand || (NUMBER.test(v) && Number(v) === n);
}

/** The test of one scalar against a binary operator's operand, prepared once per condition. */
export function binaryTest(op: BinaryOp, operand: string): (v: string) => boolean {
  switch (op) {
    case '=':
      return equality(operand);
    case '!=': {
      const eq = equality(operand);
      return (v) => !eq(v);
    }
    case '<':
      return (v) => order(v, operand) < 0;
    case '<=':
      return (v) => order(v, operand) <= 0;
    case '>':
      return (v) => order(v, operand) > 0;
    case '>=':
      return (v) => order(v, operand) >= 0;
    case 'contains':
      return (v) => v.includes(operand);
    case 'icontains': {
      const lower = operand.toLowerCase();
      return (v) => v.toLowerCase().includes(lower);
    }
    case 'bcontains': {
      const bytes = hexBytes(operand);
      return (v) => Buffer.from(v).includes(bytes);
    }
    case 'bstartswith': {
      const bytes = hexBytes(operand);
      return (v) => Buffer.from(v).subarray(0, bytes.length).equals(bytes);
    }
    case 'startswith':
      return (v) => v.startsWith(operand);
    case 'endswith':
      return (v) => v.endsWith(operand);
    case 'glob': {
      const re = globRegExp(operand);
      return (v) => re.test(v);
    }
    case 'iglob': {
      const re = globRegExp(operand, 'i');
      return (v) => re.test(v);
    }
  }
}

/** `bcontains` operands are hex (`bcontains 2f6574`); odd or non-hex text is refused. */
export function hexBytes(hex: string): Buffer {
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`"${hex}" is not a hex byte string`);
  return Buffer.from(hex, 'hex');
}

/** `pmatch`: the path is one of the set's paths or below one of them. */
function pathMatch(set: ReadonlySet<string>, v: string): boolean {
  if (set.has(v)) return true;
  for (const p of set) {
    const prefix = p.endsWith('/') ? p : `${p}/`;
    if (v.startsWith(prefix)) return true;
  }
  return false;
}

/**
 * A list operator over the field's values: for a list field `in` needs every value in the set,
 * `intersects` one of them; on a scalar both are membership.
 */
export function listTest(op: ListOp, set: ReadonlySet<string>): (vs: readonly string[]) => boolean {
  switch (op) {
    case 'in':
      return (vs) => vs.every((v) => set.has(v));
    case 'intersects':
      return (vs) => vs.some((v) => set.has(v));
    case 'pmatch':
      return (vs) => vs.some((v) => pathMatch(set, v));
  }
}
