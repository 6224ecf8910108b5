import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { pypiPackage } from '../shared/naming.js';
import { baseName } from '../shared/paths.js';
import { dict, parseJsonObject, str } from '../shared/values.js';

/** `Pipfile.lock`: `default` and `develop` maps of `name -> { version: "==1.2.3" }`. */
export const pipenvAnalyzer = defineLangAnalyzer({
  name: 'lang/pipenv',
  version: 1,
  wants: { names: ['Pipfile.lock'] },
  required: (file) => baseName(file.path) === 'Pipfile.lock',
  parse: ({ content }) => {
    const lock = parseJsonObject(content, 'Pipfile.lock');
    const out: PackageDraft[] = [];
    for (const [section, dev] of [
      ['default', false],
      ['develop', true],
    ] as const) {
      for (const [name, raw] of Object.entries(dict(lock[section]))) {
        const version = str(dict(raw).version)?.replace(/^===?/, '');
        if (version) out.push(pypiPackage(name, version, dev ? { dev: true } : {}));
      }
    }
    return out;
  },
});
