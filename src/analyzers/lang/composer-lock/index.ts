import type { PackageDraft } from '../../types.js';
import { composerDraft } from '../shared/composer.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { baseName } from '../shared/paths.js';
import { list, parseJsonObject } from '../shared/values.js';

/** `composer.lock`: `packages` and `packages-dev` (dev). */
export const composerLockAnalyzer = defineLangAnalyzer({
  name: 'lang/composer-lock',
  version: 1,
  wants: { names: ['composer.lock'] },
  required: (file) => baseName(file.path) === 'composer.lock',
  parse: ({ content }) => {
    const lock = parseJsonObject(content, 'composer.lock');
    const out: PackageDraft[] = [];
    for (const [key, dev] of [
      ['packages', false],
      ['packages-dev', true],
    ] as const) {
      for (const raw of list(lock[key])) {
        const draft = composerDraft(raw, dev);
        if (draft) out.push(draft);
      }
    }
    return out;
  },
});
