import { defineLangAnalyzer } from '../shared/define.js';
import { pypiPackage } from '../shared/naming.js';
import { baseName } from '../shared/paths.js';
import { parseToml } from '../shared/toml.js';
import { dict, str } from '../shared/values.js';

/** An installed distribution may ship its pyproject.toml; only a project's own one is the application. */
const INSTALLED = /(?:^|\/)(?:site-packages|dist-packages|node_modules)\//;

/**
 * `pyproject.toml`: the project itself (PEP 621 `[project]`, or Poetry's `[tool.poetry]`), as a
 * package marked `extra.main` — the application the SBOM describes, its lockfile's packages under
 * it. A dynamic or missing version names no release: nothing is listed.
 */
export const pyprojectAnalyzer = defineLangAnalyzer({
  name: 'lang/pyproject',
  version: 1,
  maxFileSize: 2 * 1024 * 1024,
  wants: { names: ['pyproject.toml'] },
  required: (file) => baseName(file.path) === 'pyproject.toml' && !INSTALLED.test(file.path),
  parse: ({ content }) => {
    const doc = parseToml(content, 'pyproject.toml');
    const project = dict(doc.project);
    const poetry = dict(dict(doc.tool).poetry);
    const name = str(project.name) ?? str(poetry.name);
    const version = str(project.version) ?? str(poetry.version);
    if (!name || !version) return [];
    return [pypiPackage(name, version, { extra: { main: true } })];
  },
});
