import { z } from '../../core/schema.js';
import type { LabelSelector, Requirement, SelectorOperator } from './types.js';
import { Labels, list, opt } from './values.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const satisfies readonly SelectorOperator[];

const RequirementSchema = z
  .object({
    key: z.string().min(1, { error: 'expected a non-empty string' }),
    operator: z.enum(OPERATORS, {
      error: (i) => `expected In, NotIn, Exists or DoesNotExist, got ${JSON.stringify(i.input) ?? 'nothing'}`,
    }),
    values: list(z.string()),
  })
  .check((ctx) => {
    const { operator, values } = ctx.value;
    const needsValues = operator === 'In' || operator === 'NotIn';
    if (needsValues === (values.length === 0)) {
      const message = needsValues ? `must be non-empty for ${operator}` : `must be empty for ${operator}`;
      ctx.issues.push({ code: 'custom', message, path: ['values'], input: values });
    }
  })
  .transform((r): Requirement => r);

/** A metav1.LabelSelector; undefined when the field is absent (null). */
export const Selector = opt(
  z
    .object({ matchLabels: Labels, matchExpressions: list(RequirementSchema) })
    .transform((s): LabelSelector => s),
);
