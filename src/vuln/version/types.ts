/**
 * A total order over one ecosystem's version strings. `compare` throws a VulnError with code
 * INVALID_VERSION when either side cannot be parsed: a bad version is an error, never a guess.
 */
export interface VersionComparator {
  /** the scheme name: dpkg, apk, rpm, pep440, maven, semver, go, nuget, packagist, rubygems */
  readonly scheme: string;
  compare(a: string, b: string): number;
  /** true when the string parses under this scheme */
  isValid(version: string): boolean;
}

/** Builds a comparator from a parser and a comparison of parsed values, memoising parses. */
export function comparatorFrom<T>(
  scheme: string,
  parse: (version: string) => T,
  compareParsed: (a: T, b: T) => number,
): VersionComparator {
  const cache = new Map<string, T>();
  const parsed = (v: string): T => {
    let p = cache.get(v);
    if (p === undefined) {
      p = parse(v);
      if (cache.size > 50_000) cache.clear();
      cache.set(v, p);
    }
    return p;
  };
  return {
    scheme,
    compare: (a, b) => Math.sign(compareParsed(parsed(a), parsed(b))),
    isValid(version) {
      try {
        parsed(version);
        return true;
      } catch {
        return false;
      }
    },
  };
}

export const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Compares two digit strings numerically without overflow. */
export function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
