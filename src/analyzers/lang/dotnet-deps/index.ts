import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { dict, parseJsonObject } from '../shared/values.js';

/** `<app>.deps.json` written by `dotnet build/publish`: `libraries` of type `package` (projects are the app). */
export const dotnetDepsAnalyzer = defineLangAnalyzer({
  name: 'lang/dotnet-deps',
  version: 1,
  maxFileSize: 16 * 1024 * 1024,
  wants: { extensions: ['json'] },
  required: (file) => file.path.endsWith('.deps.json'),
  parse: ({ content }) => {
    const deps = parseJsonObject(content, 'deps.json');
    const out: PackageDraft[] = [];
    for (const [key, raw] of Object.entries(dict(deps.libraries))) {
      if (dict(raw).type !== 'package') continue;
      const slash = key.lastIndexOf('/');
      if (slash > 0) out.push({ type: 'nuget', name: key.slice(0, slash), version: key.slice(slash + 1) });
    }
    return out;
  },
});
