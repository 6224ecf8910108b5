import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { pypiPackage } from '../shared/naming.js';
import { baseName } from '../shared/paths.js';
import { parseToml } from '../shared/toml.js';
import { type Dict, dict, list, str, strings } from '../shared/values.js';

/** `poetry.lock`: `[[package]]` tables; dev from `category = "dev"` (Poetry < 1.5) or `groups` without `main` (2.x). */
export const poetryAnalyzer = defineLangAnalyzer({
  name: 'lang/poetry',
  version: 1,
  wants: { names: ['poetry.lock'] },
  required: (file) => baseName(file.path) === 'poetry.lock',
  parse: ({ content }) => {
    const out: PackageDraft[] = [];
    for (const raw of list(parseToml(content, 'poetry.lock').package)) {
      const pkg = dict(raw);
      const name = str(pkg.name);
      const version = str(pkg.version);
      if (name && version) out.push(pypiPackage(name, version, isDev(pkg) ? { dev: true } : {}));
    }
    return out;
  },
});

function isDev(pkg: Dict): boolean {
  if (pkg.category !== undefined) return pkg.category === 'dev';
  const groups = strings(pkg.groups);
  return groups.length > 0 && !groups.includes('main');
}
