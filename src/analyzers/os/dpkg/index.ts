import type { Analyzer, FileMeta } from '../../types.js';
import { packageOfCopyright, parseCopyright } from './copyright.js';
import { packageOfList, parseList } from './list.js';
import { parseDpkgStatus } from './status.js';

export { parseControl } from './control.js';
export { parseCopyright } from './copyright.js';
export { packageOfList, parseList } from './list.js';
export { parseDpkgStatus } from './status.js';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/]+$/;

function isStatusFile(path: string): boolean {
  return path === STATUS || (STATUS_D.test(path) && !path.endsWith('.md5sums'));
}

/**
 * dpkg: `var/lib/dpkg/status`, distroless `status.d/*`, licenses from
 * `usr/share/doc/<pkg>/copyright`, and the files each package installed from `info/<pkg>.list`.
 */
export const dpkgAnalyzer: Analyzer = {
  name: 'os/dpkg',
  // 2: packages in half-configured/unpacked/... states are listed, with extra.status
  // 3: the files of info/<pkg>.list, as ownedFiles
  version: 3,
  // a large real status file is a few MiB (3 000 packages); ten times that is still read, a
  // 200 MB one is reported as too large instead of taking minutes and gigabytes
  maxFileSize: 32 * 1024 * 1024,
  required: (file: FileMeta) =>
    isStatusFile(file.path) ||
    packageOfCopyright(file.path) !== undefined ||
    packageOfList(file.path) !== undefined,
  analyze: async ({ meta, content }) => {
    const owner = packageOfList(meta.path);
    if (owner !== undefined) {
      const paths = parseList(content.toString('utf8'));
      return paths.length ? { ownedFiles: [{ type: 'deb', ...owner, paths }] } : {};
    }
    const pkg = packageOfCopyright(meta.path);
    if (pkg !== undefined) {
      const licenses = parseCopyright(content.toString('utf8'));
      return licenses.length ? { licenses: [{ type: 'deb', name: pkg, licenses }] } : {};
    }
    return parseDpkgStatus(content.toString('utf8'));
  },
};
