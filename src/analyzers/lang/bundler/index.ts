import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { baseName } from '../shared/paths.js';

const SECTIONS = new Set(['GEM', 'GIT']);
/** four spaces, `name (version)` or `name (version-platform)`; six spaces are dependency constraints */
const SPEC = /^ {4}([^\s(]+) \(([^)\s]+)\)$/;

/**
 * `Gemfile.lock` (and `gems.locked`): the `specs:` of GEM and GIT sections. PATH sections are the
 * project's own gems. A platform suffix (`1.16.7-x86_64-linux`) is split off. Bundler records no dev flag.
 */
export const bundlerAnalyzer = defineLangAnalyzer({
  name: 'lang/bundler',
  version: 1,
  maxFileSize: 8 * 1024 * 1024,
  wants: { names: ['Gemfile.lock', 'gems.locked'] },
  required: (file) => ['Gemfile.lock', 'gems.locked'].includes(baseName(file.path)),
  parse: ({ content }) => {
    const out: PackageDraft[] = [];
    let section = '';
    for (const line of content.toString('utf8').split(/\r?\n/)) {
      if (/^[A-Z]/.test(line)) section = line.trim();
      if (!SECTIONS.has(section)) continue;
      const m = SPEC.exec(line);
      if (!m) continue;
      const [version, platform] = splitPlatform(m[2]!);
      out.push({ type: 'gem', name: m[1]!, version, ...(platform ? { extra: { platform } } : {}) });
    }
    return out;
  },
});

/** Gem versions hold no `-`; what follows the first one is the platform. */
function splitPlatform(v: string): [string, string | undefined] {
  const dash = v.indexOf('-');
  return dash < 0 ? [v, undefined] : [v.slice(0, dash), v.slice(dash + 1)];
}
