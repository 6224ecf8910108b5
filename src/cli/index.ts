/**
 * The command line: flag parsing, calling scan/, writing the rendered report, the exit code.
 * Nothing in src/ imports cli/ (checked by `npm run lint`); the entry point is main.ts.
 */
export { COMMANDS } from './commands/index.js';
export { isDebug, runAction } from './run.js';
