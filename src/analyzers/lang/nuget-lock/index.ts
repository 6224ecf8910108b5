import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { baseName } from '../shared/paths.js';
import { dict, parseJsonObject, str } from '../shared/values.js';

/** `packages.lock.json`: per target framework, `Direct`/`Transitive`/`CentralTransitive` packages; `Project` skipped. */
export const nugetLockAnalyzer = defineLangAnalyzer({
  name: 'lang/nuget-lock',
  version: 1,
  maxFileSize: 16 * 1024 * 1024,
  wants: { names: ['packages.lock.json'] },
  required: (file) => baseName(file.path) === 'packages.lock.json',
  parse: ({ content }) => {
    const lock = parseJsonObject(content, 'packages.lock.json');
    const out: PackageDraft[] = [];
    for (const framework of Object.values(dict(lock.dependencies))) {
      for (const [name, raw] of Object.entries(dict(framework))) {
        const entry = dict(raw);
        const version = str(entry.resolved);
        if (entry.type !== 'Project' && version) out.push({ type: 'nuget', name, version });
      }
    }
    return out;
  },
});
