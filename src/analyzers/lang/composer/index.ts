import type { PackageDraft } from '../../types.js';
import { composerDraft } from '../shared/composer.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { malformed } from '../shared/errors.js';
import { isDict, list, parseJson, strings } from '../shared/values.js';

/**
 * `vendor/composer/installed.json`: Composer 1 writes an array of packages, Composer 2 an object with
 * `packages` and `dev-package-names`.
 */
export const composerAnalyzer = defineLangAnalyzer({
  name: 'lang/composer',
  version: 1,
  wants: { names: ['installed.json'] },
  required: (file) => /(?:^|\/)vendor\/composer\/installed\.json$/.test(file.path),
  parse: ({ content }) => {
    const doc = parseJson(content, 'installed.json');
    const v2 = isDict(doc);
    if (!v2 && !Array.isArray(doc)) throw malformed('installed.json is neither a list nor an object');
    const packages = v2 ? list(doc.packages) : doc;
    const devNames = new Set(v2 ? strings(doc['dev-package-names']) : []);
    const out: PackageDraft[] = [];
    for (const raw of packages) {
      const draft = composerDraft(raw, isDict(raw) && devNames.has(String(raw.name)));
      if (draft) out.push(draft);
    }
    return out;
  },
});
