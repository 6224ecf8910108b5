import { shannonEntropy } from './entropy.js';
import { KeywordIndex } from './keyword-index.js';
import type { AllowRule, MatchFinder, SecretHit, SecretRule } from './types.js';
import { finderFor } from './v8-pattern.js';

const WORD_CHAR = /[A-Za-z0-9_]/;

interface CompiledRule {
  readonly rule: SecretRule;
  /** the rule's pattern bound to a text, whichever engine runs it */
  readonly over: (text: string) => MatchFinder;
  readonly keywords: readonly string[];
  readonly requires: readonly string[];
}

/** a file with more matches of one rule is a data set, not a leak: report the first ones and say so */
export const MAX_HITS_PER_RULE = 100;

/** how long one file (or config string) may take, all rules together, before the rest are skipped */
export const DEFAULT_SCAN_BUDGET_MS = 5_000;

export interface ScanOutcome {
  readonly hits: readonly SecretHit[];
  readonly truncated: readonly string[];
  /** rules cut short or never run because the file's time budget ran out */
  readonly unfinished: readonly string[];
}

export interface ScannerOptions {
  /** in precedence order: earlier rules win overlapping matches */
  readonly rules: readonly SecretRule[];
  /** value allow rules (and path+value ones); path-only rules are the caller's business */
  readonly allowRules: readonly AllowRule[];
  /** per-file time budget (ms); checked between rules and between matches */
  readonly budgetMs?: number;
  /** the clock the budget is measured with (tests pass a fake one) */
  readonly now?: () => number;
}

/** Finds secrets in text with a fixed set of rules; one instance serves a whole scan. */
export class SecretScanner {
  private readonly rules: readonly CompiledRule[];
  private readonly allowRules: readonly AllowRule[];
  private readonly index: KeywordIndex;
  private readonly budgetMs: number;
  private readonly now: () => number;

  constructor(options: ScannerOptions) {
    this.rules = options.rules.map(compile);
    this.allowRules = options.allowRules;
    this.budgetMs = options.budgetMs ?? DEFAULT_SCAN_BUDGET_MS;
    this.now = options.now ?? (() => performance.now());
    this.index = new KeywordIndex(this.rules.flatMap((r) => [...r.keywords, ...r.requires]));
  }

  /**
   * The rules worth running on this file: the path fits, one keyword and every required literal
   * occur. One pass over the raw bytes decides, before anything is decoded.
   */
  candidates(path: string, bytes: Uint8Array): readonly CompiledRule[] {
    const applicable = this.rules.filter((r) => r.rule.path === undefined || r.rule.path.test(path));
    if (applicable.every((r) => r.keywords.length === 0 && r.requires.length === 0)) return applicable;
    const found = this.index.find(bytes);
    return applicable.filter(
      (r) =>
        (r.keywords.length === 0 || r.keywords.some((k) => found.has(k))) &&
        r.requires.every((k) => found.has(k)),
    );
  }

  /** the secrets in one file (or config string), in text order; `truncated` names rules that hit the cap */
  scan(path: string, content: Buffer | string): ScanOutcome {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const rules = this.candidates(path, bytes);
    if (rules.length === 0) return { hits: [], truncated: [], unfinished: [] };
    // bytes become a one-byte string (latin1): every regex runs faster on it than on UTF-16, and
    // offsets stay byte offsets; matched values are turned back into UTF-8 text
    const text = typeof content === 'string' ? content : content.toString('latin1');
    const value = typeof content === 'string' ? (v: string) => v : fromLatin1;
    const lines = new LineIndex(text);
    const hits: SecretHit[] = [];
    const truncated: string[] = [];
    const unfinished: string[] = [];
    const deadline = this.now() + this.budgetMs;
    for (const compiled of rules) {
      if (this.now() > deadline) {
        unfinished.push(compiled.rule.id);
        continue;
      }
      const { hits: ruleHits, complete } = this.matchRule(compiled, path, text, lines, value, deadline);
      if (!complete) unfinished.push(compiled.rule.id);
      if (ruleHits.length > MAX_HITS_PER_RULE) truncated.push(compiled.rule.id);
      for (const hit of ruleHits.slice(0, MAX_HITS_PER_RULE)) hits.push(hit);
    }
    const sorted = dropOverlaps(hits, this.rules).sort((a, b) => a.start - b.start);
    return { hits: sorted, truncated, unfinished };
  }

  private matchRule(
    compiled: CompiledRule,
    path: string,
    text: string,
    lines: LineIndex,
    value: (raw: string) => string,
    deadline: number,
  ): { hits: SecretHit[]; complete: boolean } {
    const { rule } = compiled;
    const hits: SecretHit[] = [];
    if (isAllowed(rule.allowRules ?? [], path, undefined)) return { hits, complete: true };
    const finder = compiled.over(text);
    let from = 0;
    while (from <= text.length) {
      const match = finder.find(from);
      if (match === undefined) break;
      from = match.end > match.start ? match.end : match.end + 1;
      if (hits.length > MAX_HITS_PER_RULE) break;
      if (this.now() > deadline) return { hits, complete: false };
      const group = rule.secretGroup ?? (match.span('secret') === undefined ? undefined : 'secret');
      const span = group === undefined ? match : match.span(group);
      if (span === undefined || span.end === span.start) continue;
      const secret = value(text.slice(span.start, span.end));
      if (rule.wordStart === true && span.start > 0 && WORD_CHAR.test(text[span.start - 1]!)) continue;
      if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) continue;
      if (rule.validate !== undefined && !rule.validate(secret, match.groups())) continue;
      if (isAllowed(rule.allowRules ?? [], path, secret) || isAllowed(this.allowRules, path, secret))
        continue;
      const at = rule.lineAt === 'match' ? match.start : span.start;
      const key = match.span('key');
      hits.push({
        rule,
        line: lines.lineOf(at),
        start: span.start,
        end: span.end,
        secret,
        ...(key === undefined ? {} : { key: value(text.slice(key.start, key.end)) }),
      });
    }
    return { hits, complete: true };
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

function fromLatin1(raw: string): string {
  return NON_ASCII.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
}

function compile(rule: SecretRule): CompiledRule {
  return {
    rule,
    over: finderFor(rule.regex),
    keywords: (rule.keywords ?? []).map((k) => k.toLowerCase()).filter((k) => k.length > 0),
    requires: (rule.requires ?? []).map((k) => k.toLowerCase()),
  };
}

/**
 * Whether an allow rule covers this secret: a rule with only a path covers every value in the
 * file; with only a regex, that value anywhere; with both, that value in those files.
 */
export function isAllowed(rules: readonly AllowRule[], path: string, secret: string | undefined): boolean {
  return rules.some((allow) => {
    if (allow.path === undefined && allow.regex === undefined) return false;
    if (allow.path !== undefined && !allow.path.test(path)) return false;
    if (allow.regex === undefined) return true;
    return secret !== undefined && allow.regex.test(secret);
  });
}

/** Keeps, for text matched by several rules, the hit of the rule listed first. */
function dropOverlaps(hits: readonly SecretHit[], order: readonly CompiledRule[]): SecretHit[] {
  const rank = new Map(order.map((c, i) => [c.rule, i]));
  const byRank = [...hits].sort((a, b) => rank.get(a.rule)! - rank.get(b.rule)! || a.start - b.start);
  const kept: SecretHit[] = [];
  for (const hit of byRank) {
    if (!kept.some((k) => hit.start < k.end && k.start < hit.end)) kept.push(hit);
  }
  return kept;
}

/** 1-based line numbers from offsets, by binary search over newline positions. */
class LineIndex {
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  lineOf(offset: number): number {
    this.starts ??= lineStarts(this.text);
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
