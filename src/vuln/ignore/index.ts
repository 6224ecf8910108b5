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
/** Looked for in the working directory, in this order, when no ignore file is named. */
export const DEFAULT_IGNOREFILES = [DEFAULT_IGNOREFILE, '.trivyignore'] as const;

/**
 * The suppressors the user asked for: `--ignorefile` (else `.strataignore`, else `.trivyignore` in the
 * working directory when present) and each `--vex` document; plus warnings (expired ignore entries)
 * for stderr, and which ignore file was read with how many entries, so the front end can say so.
 */
export function loadSuppressors(opts: {
  readonly ignorefile?: string;
  readonly vex?: string | readonly string[];
  readonly now?: Date;
}): {
  suppressors: Suppressor[];
  warnings: string[];
  ignorefile?: { readonly file: string; readonly entries: number };
} {
  const suppressors: Suppressor[] = [];
  const warnings: string[] = [];
  const ignorefile = opts.ignorefile ?? DEFAULT_IGNOREFILES.find((f) => existsSync(f));
  let used: { file: string; entries: number } | undefined;
  if (ignorefile) {
    const loaded = loadIgnoreFile(ignorefile);
    const { suppressor, warnings: w } = ignoreFileSuppressor(loaded, opts.now);
    suppressors.push(suppressor);
    for (const item of w) warnings.push(item);
    used = { file: ignorefile, entries: loaded.rules.length };
  }
  const vexFiles = opts.vex === undefined ? [] : typeof opts.vex === 'string' ? [opts.vex] : opts.vex;
  for (const file of vexFiles) suppressors.push(vexSuppressor(loadVex(file)));
  return { suppressors, warnings, ...(used ? { ignorefile: used } : {}) };
}
