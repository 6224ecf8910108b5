import type { LabelSelector, Requirement, SelectorOperator } from './types.js';
import { FieldError, labels, list, obj, optString } from './values.js';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function requirement(v: unknown, path: string): Requirement {
  const o = obj(v, path);
  const key = optString(o.key, `${path}.key`);
  if (!key) throw new FieldError(`${path}.key`, 'is required');
  const op = optString(o.operator, `${path}.operator`);
  if (!op || !(OPERATORS as readonly string[]).includes(op)) {
    throw new FieldError(
      `${path}.operator`,
      `unknown operator ${JSON.stringify(op)} (In, NotIn, Exists, DoesNotExist)`,
    );
  }
  const values = list(o.values, `${path}.values`).map((x, i) => {
    if (typeof x !== 'string') throw new FieldError(`${path}.values[${i}]`, 'must be a string');
    return x;
  });
  const operator = op as SelectorOperator;
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
    throw new FieldError(`${path}.values`, `must be non-empty for ${operator}`);
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
    throw new FieldError(`${path}.values`, `must be empty for ${operator}`);
  }
  return { key, operator, values };
}

/** Parses a metav1.LabelSelector; undefined when the field is absent (null). */
export function parseSelector(v: unknown, path: string): LabelSelector | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v, path);
  return {
    matchLabels: labels(o.matchLabels, `${path}.matchLabels`),
    matchExpressions: list(o.matchExpressions, `${path}.matchExpressions`).map((r, i) =>
      requirement(r, `${path}.matchExpressions[${i}]`),
    ),
  };
}
