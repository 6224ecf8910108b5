import { type Matcher, RE2JS, RE2JSException } from 're2js';
import type { LinearPattern, MatchFinder, MatchGroups, PatternMatch, Span } from './types.js';

/** Why a user-written pattern cannot be compiled, in words for the config error. */
export type LinearCompileResult =
  | { readonly ok: true; readonly pattern: LinearPattern }
  | { readonly ok: false; readonly message: string };

/**
 * Compiles a user-written pattern with RE2 (`re2js`): matching takes time linear in the text, so
 * no pattern, however nested, can backtrack for minutes inside one match. RE2 syntax is Go's:
 * inline flags (`(?i)`), named groups as `(?P<name>...)` or `(?<name>...)`. Lookaround and
 * backreferences need backtracking and are refused, named in the message.
 */
export function compileLinear(source: string): LinearCompileResult {
  try {
    return { ok: true, pattern: new Re2Pattern(source, RE2JS.compile(source)) };
  } catch (cause) {
    if (!(cause instanceof RE2JSException)) throw cause;
    const construct = nonLinearConstruct(source);
    if (construct !== undefined) {
      return {
        ok: false,
        message: `${construct} is not supported: custom patterns run on RE2 (linear time), which has no lookaround or backreferences`,
      };
    }
    return {
      ok: false,
      message: `invalid regular expression: ${cause.message.replace(/^error parsing regexp: /, '')}`,
    };
  }
}

/**
 * The first lookaround or backreference in a pattern, outside character classes and `\Q...\E`
 * quotes, or undefined. Only asked once RE2 has refused the pattern, to say why.
 */
export function nonLinearConstruct(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (next === 'Q') {
        const end = source.indexOf('\\E', i + 2);
        i = end === -1 ? source.length : end + 1;
        continue;
      }
      if (!inClass && /[1-9]/.test(next)) return `backreference "\\${next}"`;
      if (!inClass && next === 'k' && source[i + 2] === '<') return 'named backreference "\\k<...>"';
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++; // a leading ] is a literal in RE2
    } else if (c === '(') {
      for (const [open, name] of LOOKAROUND) if (source.startsWith(open, i)) return `${name} "${open}"`;
    }
  }
  return undefined;
}

const LOOKAROUND: readonly (readonly [string, string])[] = [
  ['(?=', 'lookahead'],
  ['(?!', 'negative lookahead'],
  ['(?<=', 'lookbehind'],
  ['(?<!', 'negative lookbehind'],
];

class Re2Pattern implements LinearPattern {
  readonly engine = 're2';
  readonly groupNames: readonly string[];

  constructor(
    readonly source: string,
    private readonly re: RE2JS,
  ) {
    this.groupNames = Object.keys(re.namedGroups());
  }

  test(text: string): boolean {
    return this.re.test(text);
  }

  over(text: string): MatchFinder {
    const matcher = this.re.matcher(text);
    return {
      find: (from) =>
        from <= text.length && matcher.find(from) ? new Re2Match(matcher, this.groupNames, text) : undefined,
    };
  }
}

/** A snapshot of the matcher's state: it changes on the next find. */
class Re2Match implements PatternMatch {
  readonly start: number;
  readonly end: number;
  private readonly spans = new Map<string, Span>();

  constructor(
    matcher: Matcher,
    names: readonly string[],
    private readonly text: string,
  ) {
    this.start = matcher.start();
    this.end = matcher.end();
    for (const name of names) {
      const start = matcher.start(name);
      if (start >= 0) this.spans.set(name, { start, end: matcher.end(name) });
    }
  }

  span(group: string): Span | undefined {
    return this.spans.get(group);
  }

  groups(): MatchGroups {
    return Object.fromEntries([...this.spans].map(([name, s]) => [name, this.text.slice(s.start, s.end)]));
  }
}
