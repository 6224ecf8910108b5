/** One command-line word and the line it was read from. */
export interface Word {
  readonly text: string;
  readonly line: number;
}

export interface FlagValue {
  readonly value: string;
  readonly line: number;
}

/**
 * Flags that pflag declares as booleans in the control-plane components: `--flag` alone means
 * true, and the next word is never taken as its value (`--profiling false` is `--profiling`
 * followed by a stray argument, as in the components themselves).
 */
export const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  'anonymous-auth',
  'profiling',
  'contention-profiling',
  'service-account-lookup',
  'allow-privileged',
  'enable-bootstrap-token-auth',
  'client-cert-auth',
  'peer-client-cert-auth',
  'auto-tls',
  'peer-auto-tls',
  'use-service-account-credentials',
  'make-iptables-util-chains',
  'protect-kernel-defaults',
  'rotate-certificates',
  'authentication-token-webhook',
  'service-account-extend-token-expiration',
  'leader-elect',
]);

/** Flags whose repeated occurrences accumulate (pflag string slices and maps) instead of the last one winning. */
export const LIST_FLAGS: ReadonlySet<string> = new Set([
  'enable-admission-plugins',
  'disable-admission-plugins',
  'admission-control',
  'authorization-mode',
  'tls-cipher-suites',
  'feature-gates',
]);

/** strconv.ParseBool, which pflag uses for booleans. */
export function parseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return undefined;
}

/** Parsed flags: every occurrence of every flag, in order. */
export class FlagSet {
  constructor(private readonly occurrences: ReadonlyMap<string, readonly FlagValue[]>) {}

  has(name: string): boolean {
    return this.occurrences.has(name);
  }

  /** The value in force: the last occurrence (pflag: last wins). */
  get(name: string): FlagValue | undefined {
    return this.occurrences.get(name)?.at(-1);
  }

  /** A list-valued flag: every occurrence's comma-separated items, in order, with the last occurrence's line. */
  list(name: string): { values: string[]; line: number } | undefined {
    const all = this.occurrences.get(name);
    if (!all?.length) return undefined;
    const values = all.flatMap((o) =>
      o.value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    );
    return { values, line: (all.at(-1) as FlagValue).line };
  }

  names(): string[] {
    return [...this.occurrences.keys()].sort();
  }
}

/**
 * Parses command-line words the way pflag does: `--flag=value`, `--flag value` (unless the flag
 * is a boolean or the next word is itself a flag), `--flag` alone (true for booleans, empty
 * otherwise), single-dash flags alike; words that are not flags are skipped; `--` ends flags.
 */
export function parseFlags(words: readonly Word[]): FlagSet {
  const out = new Map<string, FlagValue[]>();
  const add = (name: string, value: string, line: number) => {
    const list = out.get(name) ?? [];
    list.push({ value, line });
    out.set(name, list);
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as Word;
    if (word.text === '--') break;
    const m = /^--?([^-=][^=]*)(?:=(.*))?$/s.exec(word.text);
    if (!m) continue;
    const name = m[1] as string;
    if (m[2] !== undefined) {
      add(name, m[2], word.line);
      continue;
    }
    if (BOOLEAN_FLAGS.has(name)) {
      add(name, 'true', word.line);
      continue;
    }
    const next = words[i + 1];
    if (next && !next.text.startsWith('-')) {
      add(name, next.text, word.line);
      i++;
    } else {
      add(name, '', word.line);
    }
  }
  return new FlagSet(out);
}
