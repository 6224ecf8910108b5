import { stringify } from 'yaml';
import { type CompiledCelRule, compileCelRules } from '../../cel/index.js';
import { TrustError } from '../errors.js';
import type { Statement } from './statement.js';

/**
 * A CEL condition on an attestation, compiled with Strata's CEL engine: the expression sees
 * the in-toto statement as `object` (`object.predicate`, `object.predicateType`,
 * `object.subject`), e.g. `object.predicate.scanner.result.summary.CRITICAL == 0`.
 */
export interface AttestationCondition {
  readonly expression: string;
  test(statement: Statement): { readonly ok: true } | { readonly ok: false; readonly reason: string };
}

export function compileCondition(expression: string, where = '--condition'): AttestationCondition {
  let rule: CompiledCelRule | undefined;
  try {
    [rule] = compileCelRules(stringify({ rules: [{ id: 'condition', expression }] }), where);
  } catch (cause) {
    throw new TrustError(
      'INVALID_ARGUMENT',
      `${where}: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
  if (!rule) throw new TrustError('INVALID_ARGUMENT', `${where}: empty condition`);
  const compiled = rule;
  return {
    expression,
    test(statement) {
      let result: unknown;
      try {
        result = compiled.evaluate({ ...statement, predicate: statement.predicate ?? null });
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).split('\n', 1)[0];
        return { ok: false, reason: `condition ${expression} failed to evaluate: ${message}` };
      }
      if (result === true) return { ok: true };
      if (result === false) return { ok: false, reason: `condition ${expression} is false` };
      return { ok: false, reason: `condition ${expression} returned ${typeof result}, not a boolean` };
    },
  };
}
