import type { MatchFinder, MatchGroups, Pattern, PatternMatch, Span } from './types.js';

/** Turns a rule's pattern into a finder factory; RE2 patterns are one already. */
export function finderFor(pattern: Pattern): (text: string) => MatchFinder {
  if (!(pattern instanceof RegExp)) return (text) => pattern.over(text);
  const flags = [...new Set(`${pattern.flags}gd`)].filter((f) => f !== 'y').join('');
  const regex = new RegExp(pattern.source, flags);
  return (text) => ({
    find(from) {
      regex.lastIndex = from;
      const match = regex.exec(text);
      return match === null ? undefined : new V8Match(match);
    },
  });
}

/** A match of a built-in rule: V8's own result, with `d` (indices) on. */
class V8Match implements PatternMatch {
  readonly start: number;
  readonly end: number;

  constructor(private readonly match: RegExpExecArray) {
    this.start = match.index;
    this.end = match.index + match[0].length;
  }

  span(group: string): Span | undefined {
    const at = this.match.indices?.groups?.[group];
    return at === undefined ? undefined : { start: at[0], end: at[1] };
  }

  groups(): MatchGroups {
    return this.match.groups ?? {};
  }
}
