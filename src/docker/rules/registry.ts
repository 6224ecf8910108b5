import { FILE_RULES } from './file-rules.js';
import { META_RULES } from './meta-rules.js';
import { SHELL_RULES } from './shell-rules.js';
import { STAGE_RULES } from './stage-rules.js';
import type { DockerfileRule } from './types.js';

/** Every Dockerfile rule, in id order. */
export const DOCKERFILE_RULES: readonly DockerfileRule[] = [
  ...STAGE_RULES,
  ...FILE_RULES,
  ...SHELL_RULES,
  ...META_RULES,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
