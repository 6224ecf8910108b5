import { defineLangAnalyzer } from '../shared/define.js';
import { malformed } from '../shared/errors.js';
import { cleanLicenses } from '../shared/licenses.js';

/** `.../specifications/<name>-<version>.gemspec`: what RubyGems (and Debian's rubygems-integration) installed. */
const FILE = /(?:^|\/)specifications\/[^/]+\.gemspec$/;
/** `s.name = "rack".freeze`, `spec.version = %q{1.0}` */
const QUOTED = String.raw`(?:"([^"]*)"|'([^']*)'|%q\{([^}]*)\})`;

/**
 * Installed gem specifications are Ruby code that RubyGems writes in one fixed shape; the fields are read
 * by pattern, never evaluated.
 */
export const gemspecAnalyzer = defineLangAnalyzer({
  name: 'lang/gemspec',
  version: 1,
  maxFileSize: 1024 * 1024,
  wants: { extensions: ['gemspec'] },
  required: (file) => FILE.test(file.path),
  parse: ({ content }) => {
    const text = content.toString('utf8');
    const name = field(text, 'name');
    const version = field(text, 'version') ?? versionObject(text);
    if (!name || !version) throw malformed('gemspec has no name or version');
    const licenses = cleanLicenses([...listField(text, 'licenses'), field(text, 'license')]);
    return [{ type: 'gem', name, version, ...(licenses ? { licenses } : {}) }];
  },
});

function field(text: string, key: string): string | undefined {
  const m = new RegExp(String.raw`^\s*\w+\.${key}\s*=\s*${QUOTED}`, 'm').exec(text);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** `s.version = Gem::Version.new("1.2.3")` (older RubyGems) */
function versionObject(text: string): string | undefined {
  return /^\s*\w+\.version\s*=\s*Gem::Version\.new\(\s*["']([^"']+)["']/m.exec(text)?.[1];
}

function listField(text: string, key: string): string[] {
  const m = new RegExp(String.raw`^\s*\w+\.${key}\s*=\s*\[([^\]]*)\]`, 'm').exec(text);
  if (!m) return [];
  return [...m[1]!.matchAll(new RegExp(QUOTED, 'g'))].map((x) => x[1] ?? x[2] ?? x[3] ?? '');
}
