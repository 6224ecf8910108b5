import { defineLangAnalyzer } from '../shared/define.js';
import { baseName } from '../shared/paths.js';
import { ARCHIVE, readArchive } from './archive.js';

const MAX_DEPTH = 4;
const MAX_NESTED = 64 * 1024 * 1024;
const MAX_INFLATED = 256 * 1024 * 1024;

/** Java archives (`.jar`, `.war`, `.ear`...): Maven coordinates of the archive and of every nested archive. */
export const javaArchiveAnalyzer = defineLangAnalyzer({
  name: 'lang/java-archive',
  version: 1,
  maxFileSize: 256 * 1024 * 1024,
  wants: { extensions: ['jar', 'war', 'ear', 'par', 'sar', 'jpi', 'hpi'] },
  required: (file) => ARCHIVE.test(file.path),
  parse: ({ content, meta }) =>
    readArchive(content, baseName(meta.path), [], {
      maxDepth: MAX_DEPTH,
      maxNestedSize: MAX_NESTED,
      budget: MAX_INFLATED,
    }),
});
