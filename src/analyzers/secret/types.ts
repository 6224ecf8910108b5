import type { Severity } from '../../core/severity.js';

/** Named capture groups of one regex match (`secret`, `key`, ...). */
export type MatchGroups = Readonly<Record<string, string | undefined>>;

/**
 * Skips a file (path only) or a matched value (regex only), or a value in matching files (both).
 * `path` is tested against the normalised file path (`etc/app/.env`, or `config:Env[3]` for the image config).
 */
export interface AllowRule {
  readonly id: string;
  readonly description?: string;
  readonly path?: RegExp;
  readonly regex?: RegExp;
}

export interface SecretRule {
  /** stable finding id, e.g. `aws-access-key-id` */
  readonly id: string;
  readonly category: string;
  readonly title: string;
  readonly severity: Severity;
  /** the pattern; the scanner adds the `g` and `d` flags itself */
  readonly regex: RegExp;
  /** named group that holds the secret; default `secret` when the regex has it, else the whole match */
  readonly secretGroup?: string;
  /** case-insensitive literals; the regex runs only when one of them occurs in the file (none = always) */
  readonly keywords?: readonly string[];
  /** case-insensitive literals that must all occur in the file (context, e.g. `"private_key"`) */
  readonly requires?: readonly string[];
  /** the rule only applies to paths that match */
  readonly path?: RegExp;
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
