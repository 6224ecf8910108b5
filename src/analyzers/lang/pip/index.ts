import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { pypiPackage } from '../shared/naming.js';

/** `requirements.txt`, `requirements-dev.txt`, and `.txt` files in a `requirements/` folder */
const FILE = /(?:^|\/)(?:requirements[^/]*|requirements\/[^/]+)\.txt$/;
/** `name[extra,...] == version` (or `===`), before any `;` marker or option. */
const PINNED =
  /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*(?:;.*)?$/;

/** pip requirements files: only exact pins (`==`, `===`) name a version; ranges, URLs and options are skipped. */
export const pipAnalyzer = defineLangAnalyzer({
  name: 'lang/pip',
  version: 1,
  maxFileSize: 4 * 1024 * 1024,
  wants: { extensions: ['txt'] },
  required: (file) => FILE.test(file.path),
  parse: ({ content }) => {
    const out: PackageDraft[] = [];
    for (const line of logicalLines(content.toString('utf8'))) {
      const m = PINNED.exec(line);
      if (m && !m[2]!.includes('*')) out.push(pypiPackage(m[1]!, m[2]!));
    }
    return out;
  },
});

/** Joins `\` continuations, drops comments and trailing `--hash=` options. */
function logicalLines(text: string): string[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((l) =>
      l
        .replace(/(^|\s)#.*$/, '')
        .replace(/\s--?[a-z][\w-]*(?:[= ]\S+)?/g, '')
        .trim(),
    )
    .filter((l) => l !== '' && !l.startsWith('-'));
}
