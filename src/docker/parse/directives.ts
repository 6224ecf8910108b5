import type { Directives } from './types.js';

const DIRECTIVE = /^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$/;
const KNOWN = new Set(['syntax', 'escape', 'check']);

/**
 * Reads parser directives from the top of the file. As BuildKit does, the first line that is not
 * a known directive (a comment, a blank line, an instruction, a repeated directive) ends them.
 * Returns the directives and the index of the first line after them.
 */
export function readDirectives(lines: readonly string[]): { directives: Directives; next: number } {
  const found: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i] ?? '');
    const key = m?.[1]?.toLowerCase();
    if (!m || !key || !KNOWN.has(key) || key in found) break;
    found[key] = m[2] ?? '';
  }
  const escapeChar = found.escape === '`' ? '`' : '\\';
  return {
    directives: {
      escape: escapeChar,
      ...(found.syntax ? { syntax: found.syntax } : {}),
      ...(found.check ? { check: found.check } : {}),
    },
    next: i,
  };
}
