import type { Finding, ScanError } from '../../core/types.js';
import type { KubeResource } from '../load/index.js';
import { Authorizer } from './authorizer.js';
import { escalationFindings } from './escalation.js';
import { parseRbac } from './parse.js';
import { riskFindings } from './risks.js';

export interface RbacAnalysis {
  readonly authorizer: Authorizer;
  readonly findings: Finding[];
  readonly errors: ScanError[];
}

/** Parses the RBAC objects among `resources` and runs the risk rules and the escalation search. */
export function analyzeRbac(resources: readonly KubeResource[]): RbacAnalysis {
  const { model, errors } = parseRbac(resources);
  const authorizer = new Authorizer(model);
  return {
    authorizer,
    findings: [...riskFindings(authorizer), ...escalationFindings(authorizer)],
    errors: [...errors, ...authorizer.errors],
  };
}
