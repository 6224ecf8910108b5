import { defineLangAnalyzer } from '../shared/define.js';
import { baseName, insideNodeModules } from '../shared/paths.js';
import { parseBerry } from './berry.js';
import { parseClassic } from './classic.js';

/** `yarn.lock`, classic (v1 custom format) or berry (YAML with `__metadata`). Yarn records no dev flag. */
export const yarnAnalyzer = defineLangAnalyzer({
  name: 'lang/yarn',
  version: 1,
  wants: { names: ['yarn.lock'] },
  required: (file) => baseName(file.path) === 'yarn.lock' && !insideNodeModules(file.path),
  parse: ({ content }) => {
    const text = content.toString('utf8');
    return /^__metadata:/m.test(text) ? parseBerry(text) : parseClassic(text);
  },
});
