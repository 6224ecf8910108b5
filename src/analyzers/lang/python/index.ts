import { defineLangAnalyzer } from '../shared/define.js';
import { malformed } from '../shared/errors.js';
import { cleanLicenses } from '../shared/licenses.js';
import { pypiPackage } from '../shared/naming.js';
import { metadataLicenses, parseMetadataHeaders } from './metadata.js';

/** `x.dist-info/METADATA`, `x.egg-info/PKG-INFO`, `EGG-INFO/PKG-INFO` (eggs) and `x.egg-info` files (Debian). */
const FILES = /(?:\.dist-info\/METADATA|\.egg-info\/PKG-INFO|(?:^|\/)EGG-INFO\/PKG-INFO|\.egg-info)$/;

/** Installed Python distributions (site-packages and Debian's dist-packages). */
export const pythonAnalyzer = defineLangAnalyzer({
  name: 'lang/python',
  version: 1,
  maxFileSize: 2 * 1024 * 1024,
  wants: { names: ['METADATA', 'PKG-INFO'], extensions: ['egg-info'] },
  required: (file) => FILES.test(file.path),
  parse: ({ content }) => {
    const headers = parseMetadataHeaders(content.toString('utf8'));
    const name = headers.get('name')?.[0];
    const version = headers.get('version')?.[0];
    if (!name || !version) throw malformed('Python metadata has no Name or Version');
    const licenses = cleanLicenses(metadataLicenses(headers));
    return [pypiPackage(name, version, licenses ? { licenses } : {})];
  },
});
