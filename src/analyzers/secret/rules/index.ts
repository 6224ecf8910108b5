import type { SecretRule } from '../types.js';
import { cloudRules } from './cloud.js';
import { fileRules } from './files.js';
import { genericRules } from './generic.js';
import { keyRules } from './keys.js';
import { saasRules } from './saas.js';
import { tokenRules } from './tokens.js';
import { vcsRules } from './vcs.js';

/**
 * The built-in rules, most specific first: when two rules match the same text, the earlier one wins
 * (a GCP key file is one `gcp-service-account` finding, not also a `private-key`).
 */
export const BUILTIN_RULES: readonly SecretRule[] = [
  ...cloudRules,
  ...vcsRules,
  ...saasRules,
  ...fileRules,
  ...keyRules,
  ...tokenRules,
  ...genericRules,
];
