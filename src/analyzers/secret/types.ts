import type { Severity } from '../../core/severity.js';

/** Named capture groups of one regex match (`secret`, `key`, ...). */
export type MatchGroups = Readonly<Record<string, string | undefined>>;

/** Offsets of a match, or of one group of it, in the scanned text (end exclusive). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One match of a rule's pattern. */
export interface PatternMatch extends Span {
  /** where a named group matched; undefined when the pattern has no such group or it took no part */
  span(group: string): Span | undefined;
  /** the text of every named group */
  groups(): MatchGroups;
}

/** A pattern bound to one text: finds the leftmost match that starts at or after `from`. */
export interface MatchFinder {
  find(from: number): PatternMatch | undefined;
}

/**
 * A regex run by an engine other than V8's: user-written patterns compile to RE2 (`re2js`), whose
 * time is linear in the text, so no single match can hang a scan.
 */
export interface LinearPattern {
  readonly engine: 're2';
  readonly source: string;
  /** names of the named groups */
  readonly groupNames: readonly string[];
  test(text: string): boolean;
  over(text: string): MatchFinder;
}

/** A built-in pattern (a V8 RegExp, kept linear by construction and fuzzing) or a user-written one. */
export type Pattern = RegExp | LinearPattern;

/**
 * Skips a file (path only) or a matched value (regex only), or a value in matching files (both).
 * `path` is tested against the normalised file path (`etc/app/.env`, or `config:Env[3]` for the image config).
 */
export interface AllowRule {
  readonly id: string;
  readonly description?: string;
  readonly path?: Pattern;
  readonly regex?: Pattern;
}

export interface SecretRule {
  /** stable finding id, e.g. `aws-access-key-id` */
  readonly id: string;
  readonly category: string;
  readonly title: string;
  readonly severity: Severity;
  /** the pattern; the scanner adds the `g` and `d` flags to a RegExp itself */
  readonly regex: Pattern;
  /** named group that holds the secret; default `secret` when the regex has it, else the whole match */
  readonly secretGroup?: string;
  /** case-insensitive literals; the regex runs only when one of them occurs in the file (none = always) */
  readonly keywords?: readonly string[];
  /** case-insensitive literals that must all occur in the file (context, e.g. `"private_key"`) */
  readonly requires?: readonly string[];
  /** the rule only applies to paths that match */
  readonly path?: Pattern;
  /** Shannon entropy (bits per character) the secret must reach */
  readonly minEntropy?: number;
  /**
   * the secret must start a word: the character before it is no letter, digit or `_` (checked
   * outside the regex, since a leading lookbehind keeps V8 from scanning for the literal prefix)
   */
  readonly wordStart?: boolean;
  /** which line a finding points at: the secret's (default) or the start of the whole match */
  readonly lineAt?: 'secret' | 'match';
  readonly allowRules?: readonly AllowRule[];
  /** extra check on a match (built-in rules only: decodes, counts characters...) */
  readonly validate?: (secret: string, groups: MatchGroups) => boolean;
}

/** What `loadSecretConfig` reads; every field adds to or trims the built-in behaviour. */
export interface SecretConfig {
  /** custom rules; they take precedence over built-in rules that match the same text */
  readonly rules?: readonly SecretRule[];
  readonly allowRules?: readonly AllowRule[];
  /** built-in rule ids to turn off */
  readonly disableRules?: readonly string[];
  /** built-in allow-rule ids to turn off */
  readonly disableAllowRules?: readonly string[];
  /** files larger than this are not scanned (bytes, default 10 MiB) */
  readonly maxFileSize?: number;
}

/** One secret found in a text, before it becomes a Finding. */
export interface SecretHit {
  readonly rule: SecretRule;
  /** 1-based line of the secret (of the BEGIN line for private keys) */
  readonly line: number;
  /** offsets of the secret in the scanned text */
  readonly start: number;
  readonly end: number;
  /** raw value: never leaves the secret module except through `redact` */
  readonly secret: string;
  /** the variable or field name that held the secret, when the rule captures one */
  readonly key?: string;
}
