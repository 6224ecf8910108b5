import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { pypiPackage } from '../shared/naming.js';
import { baseName } from '../shared/paths.js';
import { parseToml } from '../shared/toml.js';
import { type Dict, dict, list, str } from '../shared/values.js';

/**
 * `uv.lock`: `[[package]]` tables. The project's own packages (virtual/editable/directory sources) are
 * not dependencies; a package is dev-only when only their `dev-dependencies` groups reach it.
 */
export const uvAnalyzer = defineLangAnalyzer({
  name: 'lang/uv',
  version: 1,
  wants: { names: ['uv.lock'] },
  required: (file) => baseName(file.path) === 'uv.lock',
  parse: ({ content }) => {
    const packages = list(parseToml(content, 'uv.lock').package).map(dict);
    const prod = reachable(packages);
    const out: PackageDraft[] = [];
    for (const pkg of packages) {
      const name = str(pkg.name);
      const version = str(pkg.version);
      if (!name || !version || isProject(pkg)) continue;
      out.push(pypiPackage(name, version, prod.has(name) ? {} : { dev: true }));
    }
    return out;
  },
});

function isProject(pkg: Dict): boolean {
  const source = dict(pkg.source);
  return source.virtual !== undefined || source.editable !== undefined || source.directory !== undefined;
}

/** Names reached from the projects through `dependencies` and `optional-dependencies` only. */
function reachable(packages: readonly Dict[]): Set<string> {
  const byName = new Map(packages.map((p) => [str(p.name) ?? '', p]));
  const seen = new Set<string>();
  const queue = packages.filter(isProject);
  for (let pkg = queue.pop(); pkg; pkg = queue.pop()) {
    const deps = [
      ...list(pkg.dependencies),
      ...Object.values(dict(pkg['optional-dependencies'])).flatMap(list),
    ];
    for (const dep of deps) {
      const name = str(dict(dep).name);
      const next = name ? byName.get(name) : undefined;
      if (name && next && !seen.has(name)) {
        seen.add(name);
        queue.push(next);
      }
    }
  }
  return seen;
}
