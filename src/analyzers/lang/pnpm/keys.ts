/** A pnpm package key split into name and version; peer suffixes (`(react@18)`, `_react@18`) dropped. */
export interface PnpmKey {
  readonly name: string;
  readonly version: string;
}

/** v5: `/name/1.2.3_peer`, `/@scope/name/1.2.3`. */
export function parseV5Key(key: string): PnpmKey | undefined {
  const parts = key.replace(/^\//, '').split('/');
  const last = parts.pop();
  if (!last || parts.length === 0) return undefined;
  const version = last.split('_')[0] ?? '';
  return plausible(parts.join('/'), version);
}

/** v6 and later: `/name@1.2.3(peer@1)` (v6) or `name@1.2.3(peer@1)` (v9). */
export function parseKey(key: string): PnpmKey | undefined {
  const bare = key.replace(/^\//, '');
  const at = bare.indexOf('@', 1);
  if (at < 0) return undefined;
  const version = bare.slice(at + 1).split('(')[0] ?? '';
  return plausible(bare.slice(0, at), version);
}

/** git, tarball, file and link entries carry no registry version. */
function plausible(name: string, version: string): PnpmKey | undefined {
  if (!name || !/^\d/.test(version) || version.includes(':') || version.includes('/')) return undefined;
  return { name, version };
}
