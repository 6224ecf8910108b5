import type { Finding, ScanError } from '../../core/types.js';
import type { KubeResource } from '../load/index.js';
import { Authorizer } from './authorizer.js';
import { type DefaultsOptions, type DefaultsUsed, withDefaults } from './defaults.js';
import { escalationFindings } from './escalation.js';
import { parseRbac } from './parse.js';
import { riskFindings } from './risks.js';

export interface RbacAnalysis {
  readonly authorizer: Authorizer;
  readonly findings: Finding[];
  readonly errors: ScanError[];
  /** the built-in default ClusterRoles and bindings the analysis added (absent: none) */
  readonly defaults?: DefaultsUsed;
}

/**
 * Parses the RBAC objects among `resources`, adds the Kubernetes defaults they lack, and runs the
 * risk rules and the escalation search.
 */
export function analyzeRbac(resources: readonly KubeResource[], options: DefaultsOptions = {}): RbacAnalysis {
  const parsed = parseRbac(resources);
  const { model, defaults } = withDefaults(parsed.model, options);
  const authorizer = new Authorizer(model);
  return {
    authorizer,
    findings: [...riskFindings(authorizer), ...escalationFindings(authorizer)],
    errors: [...parsed.errors, ...authorizer.errors],
    ...(defaults ? { defaults } : {}),
  };
}
