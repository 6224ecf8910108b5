import { existsSync } from 'node:fs';
import { ignoreFileSuppressor, loadIgnoreFile } from './ignorefile.js';
import type { Suppressor } from './types.js';
import { loadVex, vexSuppressor } from './vex.js';

export {
  type IgnoreFile,
  type IgnoreRule,
  ignoreFileSuppressor,
  loadIgnoreFile,
  parseIgnoreFile,
} from './ignorefile.js';
export type { Suppression, Suppressor } from './types.js';
export { loadVex, parseVex, type VexDocument, type VexStatement, vexSuppressor } from './vex.js';

export const DEFAULT_IGNOREFILE = '.strataignore';

/**
 * The suppressors the user asked for: `--ignorefile` (else `.strataignore` in the working directory when
 * present) and each `--vex` document; plus warnings (expired ignore entries) for stderr.
 */
export function loadSuppressors(opts: {
  readonly ignorefile?: string;
  readonly vex?: string | readonly string[];
  readonly now?: Date;
}): { suppressors: Suppressor[]; warnings: string[] } {
  const suppressors: Suppressor[] = [];
  const warnings: string[] = [];
  const ignorefile = opts.ignorefile ?? (existsSync(DEFAULT_IGNOREFILE) ? DEFAULT_IGNOREFILE : undefined);
  if (ignorefile) {
    const { suppressor, warnings: w } = ignoreFileSuppressor(loadIgnoreFile(ignorefile), opts.now);
    suppressors.push(suppressor);
    for (const item of w) warnings.push(item);
  }
  const vexFiles = opts.vex === undefined ? [] : typeof opts.vex === 'string' ? [opts.vex] : opts.vex;
  for (const file of vexFiles) suppressors.push(vexSuppressor(loadVex(file)));
  return { suppressors, warnings };
}
