import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { goPackage, goVersion } from '../shared/naming.js';
import { baseName } from '../shared/paths.js';
import { type GoModReplace, type GoModRequire, parseGoMod } from './parse.js';

/**
 * `go.mod`: every `require` (direct and `// indirect`) with `replace` directives applied. A versioned
 * replacement names what is built; a local directory keeps the required version and is recorded.
 */
export const goModAnalyzer = defineLangAnalyzer({
  name: 'lang/go-mod',
  version: 1,
  maxFileSize: 4 * 1024 * 1024,
  wants: { names: ['go.mod'] },
  required: (file) => baseName(file.path) === 'go.mod' && !file.path.includes('/vendor/'),
  parse: ({ content }) => {
    const mod = parseGoMod(content.toString('utf8'));
    return mod.requires.map((req) => toDraft(req, findReplace(mod.replaces, req)));
  },
});

function findReplace(replaces: readonly GoModReplace[], req: GoModRequire): GoModReplace | undefined {
  return (
    replaces.find((r) => r.from === req.path && r.fromVersion === req.version) ??
    replaces.find((r) => r.from === req.path && r.fromVersion === undefined)
  );
}

function toDraft(req: GoModRequire, rep: GoModReplace | undefined): PackageDraft {
  const extra: Record<string, string | boolean> = req.indirect ? { indirect: true } : {};
  if (rep?.toVersion) return goPackage(rep.to, goVersion(rep.toVersion), withExtra(extra));
  if (rep) extra.replacedBy = rep.to;
  return goPackage(req.path, goVersion(req.version), withExtra(extra));
}

function withExtra(extra: Record<string, string | boolean>): Pick<PackageDraft, 'extra'> {
  return Object.keys(extra).length ? { extra } : {};
}
