/** One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1): a scheme and its parameters. */
export interface AuthChallenge {
  /** lower-case: `bearer`, `basic`, ... */
  readonly scheme: string;
  /** parameter names lower-cased (`realm`, `service`, `scope`, `error`) */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/**
 * Parses a `WWW-Authenticate` value, which may hold several challenges separated by commas
 * (Node joins repeated headers the same way). Quoted values may contain commas and `\`-escapes.
 */
export function parseWwwAuthenticate(value: string): AuthChallenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let s = value;
  const skip = (re: RegExp) => {
    s = s.replace(re, '');
  };
  while (s.length > 0) {
    skip(/^[\s,]+/);
    const scheme = TOKEN.exec(s)?.[0];
    if (!scheme) {
      s = s.slice(1);
      continue;
    }
    s = s.slice(scheme.length);
    const current = { scheme: scheme.toLowerCase(), params: {} as Record<string, string> };
    challenges.push(current);
    while (true) {
      skip(/^[\s,]*/);
      const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*/.exec(s);
      if (!m) break;
      s = s.slice(m[0].length);
      let val: string;
      if (s.startsWith('"')) {
        let i = 1;
        val = '';
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          val += s[i];
          i++;
        }
        s = s.slice(i + 1);
      } else {
        val = /^[^\s,]*/.exec(s)?.[0] ?? '';
        s = s.slice(val.length);
      }
      current.params[m[1]!.toLowerCase()] = val;
    }
  }
  return challenges;
}

/** The challenge Strata answers: Bearer preferred over Basic; others are not supported. */
export function pickChallenge(challenges: readonly AuthChallenge[]): AuthChallenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}
