/** One module line of the embedded module info, after applying its `=>` replacement. */
export interface GoModuleLine {
  readonly kind: 'mod' | 'dep';
  readonly path: string;
  readonly version: string;
  /** a replacement without a version (a local directory) */
  readonly replacedBy?: string;
}

/**
 * `mod` (main module) and `dep` lines, tab-separated `path version [sum]`; a following `=>` line
 * replaces the module: a versioned replacement is what was compiled in, a local directory keeps the
 * original path and version and is recorded.
 */
export function parseModInfo(text: string): GoModuleLine[] {
  const out: GoModuleLine[] = [];
  for (const line of text.split('\n')) {
    const [tag, path, version] = line.split('\t');
    if ((tag === 'mod' || tag === 'dep') && path) {
      out.push({ kind: tag, path, version: version ?? '' });
    } else if (tag === '=>' && path && out.length) {
      const last = out.pop()!;
      const versioned = version && version !== '(devel)';
      out.push(versioned ? { kind: last.kind, path, version } : { ...last, replacedBy: path });
    }
  }
  return out;
}
