import { parseKubeText } from '../load/index.js';
import { Authorizer } from './authorizer.js';
import { parseRbac } from './parse.js';

/** An authorizer over RBAC objects written inline as YAML (tests only). */
export function authorizerOf(yaml: string, file = 'rbac.yaml'): Authorizer {
  const loaded = parseKubeText(yaml, file);
  if (loaded.errors.length) throw new Error(loaded.errors.map((e) => e.message).join('; '));
  const { model, errors } = parseRbac(loaded.resources);
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  return new Authorizer(model);
}
