import type { Analyzer } from '../../types.js';
import { parseApkInstalled } from './installed.js';

export { parseApkInstalled } from './installed.js';

/** apk: `lib/apk/db/installed` (Alpine, Wolfi, Chainguard): packages and the files each installed. */
export const apkAnalyzer: Analyzer = {
  name: 'os/apk',
  // 2: the files of each package (F:/R: lines), as ownedFiles
  version: 2,
  maxFileSize: 128 * 1024 * 1024,
  wants: { names: ['installed'] },
  required: (file) => file.path === 'lib/apk/db/installed',
  analyze: async ({ content }) => {
    const { packages, ownedFiles, errors } = parseApkInstalled(content.toString('utf8'));
    return { packages, ...(ownedFiles.length ? { ownedFiles } : {}), errors };
  },
};
