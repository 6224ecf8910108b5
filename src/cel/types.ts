import type { Severity } from '../core/severity.js';

/** One custom rule as the rules file declares it. */
export interface CelRuleSpec {
  readonly id: string;
  readonly severity: Severity;
  /** shown as the finding's title */
  readonly message: string;
  readonly description?: string;
  /** resource kinds the rule applies to; all kinds when empty */
  readonly kinds: readonly string[];
  /** must evaluate to true for a compliant resource (as a ValidatingAdmissionPolicy validation) */
  readonly expression: string;
  /** where the rule's expression is in the rules file */
  readonly file: string;
  readonly line: number;
}

/** A rule whose expression compiled. */
export interface CompiledCelRule extends CelRuleSpec {
  evaluate(object: Record<string, unknown>): unknown;
}

/**
 * What a rule runs on: any resource with a kind, a name and a position (a loaded manifest, a live
 * object, an admission request's object). Structural, so cel needs no resource loader.
 */
export interface CelResource {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** the resource as plain JSON values (the rule's `object`) */
  readonly object: Record<string, unknown>;
  readonly file: string;
  readonly line: number;
}
