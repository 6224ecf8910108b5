import { CONTAINER_RULES } from './container-rules.js';
import { POD_RULES } from './pod-rules.js';
import { RESOURCE_RULES } from './resource-rules.js';
import type { WorkloadRule } from './types.js';

/** Every workload rule beyond the Pod Security Standards, in id order. */
export const WORKLOAD_RULES: readonly WorkloadRule[] = [
  ...CONTAINER_RULES,
  ...POD_RULES,
  ...RESOURCE_RULES,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
