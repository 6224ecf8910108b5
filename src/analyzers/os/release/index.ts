import type { Analyzer } from '../../types.js';
import { RELEASE_FILES } from './resolve.js';

export { parseOsRelease } from './parse.js';
export { RELEASE_FILES, resolveOS } from './resolve.js';

const WANTED = new Set<string>(RELEASE_FILES);

/**
 * Reads the OS release files. Each file's text is kept as the analyzer's result so that the
 * decision (which needs several files together) is made once on the final filesystem.
 */
export const osReleaseAnalyzer: Analyzer = {
  name: 'os/release',
  version: 1,
  maxFileSize: 64 * 1024,
  wants: { names: [...new Set(RELEASE_FILES.map((f) => f.slice(f.lastIndexOf('/') + 1)))] },
  required: (file) => WANTED.has(file.path),
  analyze: async ({ content }) => ({ osRelease: content.toString('utf8') }),
};
