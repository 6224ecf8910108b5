export { readDirectives } from './directives.js';
export { parseDockerfile } from './parse.js';
export type { Directives, Dockerfile, Heredoc, Instruction, Stage } from './types.js';
