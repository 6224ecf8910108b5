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
