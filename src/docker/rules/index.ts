export { DOCKERFILE_RULES } from './registry.js';
export { checkDockerfile, scanDockerfileText } from './scan.js';
export type { DockerfileHit, DockerfileRule } from './types.js';
