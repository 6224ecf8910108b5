/**
 * Package URLs as the purl specification defines them
 * (https://github.com/package-url/purl-spec): type/namespace/name@version?qualifiers#subpath,
 * with percent-encoding per component and qualifiers sorted by key.
 */
export interface PurlParts {
  readonly type: string;
  readonly namespace?: string;
  readonly name: string;
  readonly version?: string;
  readonly qualifiers?: Readonly<Record<string, string | undefined>>;
  readonly subpath?: string;
}

function encode(component: string): string {
  return encodeURIComponent(component).replace(/%3A/gi, ':');
}

export function formatPurl(p: PurlParts): string {
  const type = p.type.toLowerCase();
  let out = `pkg:${type}/`;
  if (p.namespace) out += `${p.namespace.split('/').filter(Boolean).map(encode).join('/')}/`;
  out += encode(p.name);
  if (p.version) out += `@${encode(p.version)}`;
  const quals = Object.entries(p.qualifiers ?? {})
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (quals.length) out += `?${quals.map(([k, v]) => `${k}=${encode(v)}`).join('&')}`;
  if (p.subpath) out += `#${p.subpath.split('/').filter(Boolean).map(encode).join('/')}`;
  return out;
}

// Types whose namespace and name the purl specification declares case-insensitive.
const CASE_INSENSITIVE = new Set([
  'alpm',
  'apk',
  'bitbucket',
  'composer',
  'deb',
  'github',
  'hex',
  'npm',
  'oci',
  'pypi',
]);

function decode(component: string): string | undefined {
  try {
    return decodeURIComponent(component);
  } catch {
    return undefined;
  }
}

/**
 * Parses a purl string into its parts (percent-decoded, type lowercased, the namespace and name
 * normalised for case-insensitive types); undefined when the text is not a purl.
 */
export function parsePurl(text: string): PurlParts | undefined {
  if (!/^pkg:/i.test(text)) return undefined;
  let rest = text.slice(4).replace(/^\/+/, '');
  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    subpath = rest
      .slice(hash + 1)
      .split('/')
      .filter((s) => s !== '' && s !== '.' && s !== '..')
      .map(decode)
      .join('/');
    rest = rest.slice(0, hash);
  }
  const qualifiers: Record<string, string> = {};
  const question = rest.indexOf('?');
  if (question !== -1) {
    for (const pair of rest.slice(question + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const value = decode(pair.slice(eq + 1));
      if (value === undefined) return undefined;
      if (value !== '') qualifiers[pair.slice(0, eq).toLowerCase()] = value;
    }
    rest = rest.slice(0, question);
  }
  rest = rest.replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const type = rest.slice(0, slash).toLowerCase();
  rest = rest.slice(slash + 1);
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at !== -1) {
    version = decode(rest.slice(at + 1));
    if (version === undefined) return undefined;
    rest = rest.slice(0, at);
  }
  const segments = rest.split('/').filter(Boolean).map(decode);
  if (segments.some((s) => s === undefined)) return undefined;
  const fold = (s: string): string => (CASE_INSENSITIVE.has(type) ? s.toLowerCase() : s);
  let name = segments.pop();
  if (!name) return undefined;
  name = fold(name);
  if (type === 'pypi') name = name.replace(/_/g, '-');
  const namespace = segments.length ? fold(segments.join('/')) : undefined;
  return {
    type,
    ...(namespace ? { namespace } : {}),
    name,
    ...(version ? { version } : {}),
    ...(Object.keys(qualifiers).length ? { qualifiers } : {}),
    ...(subpath ? { subpath } : {}),
  };
}

/**
 * True when `pattern` (as a VEX or policy author writes it) names `subject` (a purl Strata computed):
 * the same type, namespace and name; the same version when the pattern has one (none: every version);
 * every qualifier of the pattern present in the subject with the same value (fewer qualifiers match
 * more widely); the same subpath when the pattern has one.
 */
export function purlMatches(pattern: PurlParts, subject: PurlParts): boolean {
  if (pattern.type !== subject.type || pattern.name !== subject.name) return false;
  if ((pattern.namespace ?? '') !== (subject.namespace ?? '')) return false;
  if (pattern.version !== undefined && pattern.version !== subject.version) return false;
  if (pattern.subpath !== undefined && pattern.subpath !== subject.subpath) return false;
  for (const [key, value] of Object.entries(pattern.qualifiers ?? {})) {
    if (value !== undefined && subject.qualifiers?.[key] !== value) return false;
  }
  return true;
}
