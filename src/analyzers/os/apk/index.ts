import type { Analyzer } from '../../types.js';
import { parseApkInstalled } from './installed.js';

export { parseApkInstalled } from './installed.js';

/** apk: `lib/apk/db/installed` (Alpine, Wolfi, Chainguard). */
export const apkAnalyzer: Analyzer = {
  name: 'os/apk',
  version: 1,
  maxFileSize: 128 * 1024 * 1024,
  required: (file) => file.path === 'lib/apk/db/installed',
  analyze: async ({ content }) => parseApkInstalled(content.toString('utf8')),
};
