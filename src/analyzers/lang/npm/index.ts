import { defineLangAnalyzer } from '../shared/define.js';
import { malformed } from '../shared/errors.js';
import { npmLicenses } from '../shared/licenses.js';
import { npmPackage } from '../shared/naming.js';
import { parseJsonObject, str } from '../shared/values.js';

/** `node_modules/<name>/package.json` or `node_modules/@scope/<name>/package.json`, at any nesting depth. */
const INSTALLED = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;

/** Installed npm packages: one `package.json` per package directory under `node_modules` (nested and bundled too). */
export const npmAnalyzer = defineLangAnalyzer({
  name: 'lang/npm',
  version: 1,
  maxFileSize: 4 * 1024 * 1024,
  wants: { names: ['package.json'] },
  required: (file) => INSTALLED.test(file.path),
  parse: ({ content, meta }) => {
    const manifest = parseJsonObject(content, 'package.json');
    const name = str(manifest.name);
    const version = str(manifest.version);
    if (!name || !version) throw malformed('package.json has no name or version');
    const licenses = npmLicenses(manifest);
    return [npmPackage(name, version, { path: meta.path, ...(licenses ? { licenses } : {}) })];
  },
});
