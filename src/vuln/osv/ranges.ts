import type { VersionComparator } from '../version/types.js';
import type { OsvAffected, OsvEvent, OsvRange } from './types.js';

/** The outcome of evaluating one affected entry against an installed version. */
export interface RangeVerdict {
  readonly affected: boolean;
  /** by an explicit `versions` entry or by a range */
  readonly via?: 'versions' | 'range';
  /** the range that matched (when via = range) */
  readonly range?: OsvRange;
  /** every `fixed` event of the entry's ranges above the installed version, lowest first */
  readonly fixes: readonly string[];
}

const eventVersion = (e: OsvEvent): string =>
  'introduced' in e
    ? e.introduced
    : 'fixed' in e
      ? e.fixed
      : 'last_affected' in e
        ? e.last_affected
        : e.limit;

const EVENT_RANK = (e: OsvEvent): number =>
  'introduced' in e ? 0 : 'last_affected' in e ? 1 : 'fixed' in e ? 2 : 3;

/** `introduced: "0"` sorts before every version; a limit containing `*` is infinity. */
function compareEventVersions(a: OsvEvent, b: OsvEvent, cmp: VersionComparator): number {
  const av = eventVersion(a);
  const bv = eventVersion(b);
  const aZero = 'introduced' in a && av === '0';
  const bZero = 'introduced' in b && bv === '0';
  if (aZero || bZero) return aZero && bZero ? 0 : aZero ? -1 : 1;
  const aInf = 'limit' in a && av.includes('*');
  const bInf = 'limit' in b && bv.includes('*');
  if (aInf || bInf) return aInf && bInf ? 0 : aInf ? 1 : -1;
  return cmp.compare(av, bv) || EVENT_RANK(a) - EVENT_RANK(b);
}

function beforeLimits(v: string, range: OsvRange, cmp: VersionComparator): boolean {
  const limits = range.events.filter((e): e is { limit: string } => 'limit' in e);
  if (limits.length === 0) return true;
  return limits.some((e) => e.limit.includes('*') || cmp.compare(v, e.limit) < 0);
}

/**
 * IncludedInRanges for one range, exactly as the OSV schema's evaluation pseudocode: walk the sorted
 * events; `introduced` <= v turns vulnerable on, `fixed` <= v or `last_affected` < v turns it off.
 * Throws VulnError INVALID_VERSION when a version cannot be parsed.
 */
export function inRange(v: string, range: OsvRange, cmp: VersionComparator): boolean {
  if (range.type === 'GIT') return false;
  if (!beforeLimits(v, range, cmp)) return false;
  const events = [...range.events].sort((a, b) => compareEventVersions(a, b, cmp));
  let vulnerable = false;
  for (const e of events) {
    if ('introduced' in e) {
      if (e.introduced === '0' || cmp.compare(v, e.introduced) >= 0) vulnerable = true;
    } else if ('fixed' in e) {
      if (cmp.compare(v, e.fixed) >= 0) vulnerable = false;
    } else if ('last_affected' in e) {
      if (cmp.compare(v, e.last_affected) > 0) vulnerable = false;
    }
  }
  return vulnerable;
}

/**
 * IsVulnerable for one affected entry: an exact `versions` entry or any SEMVER/ECOSYSTEM range.
 * `rangeComparator` gives the order for a range type (SEMVER ranges use SemVer 2.0 whatever the ecosystem).
 */
export function evaluateAffected(
  v: string,
  affected: OsvAffected,
  rangeComparator: (type: OsvRange['type']) => VersionComparator,
): RangeVerdict {
  let verdict: Pick<RangeVerdict, 'via' | 'range'> | undefined;
  if (affected.versions.includes(v)) verdict = { via: 'versions' };
  for (const range of affected.ranges) {
    if (verdict) break;
    if (range.type !== 'GIT' && inRange(v, range, rangeComparator(range.type)))
      verdict = { via: 'range', range };
  }
  const fixes: string[] = [];
  for (const range of affected.ranges) {
    if (range.type === 'GIT') continue;
    const cmp = rangeComparator(range.type);
    for (const e of range.events) {
      if ('fixed' in e && cmp.compare(e.fixed, v) > 0) fixes.push(e.fixed);
    }
  }
  const cmp = rangeComparator(affected.ranges.find((r) => r.type !== 'GIT')?.type ?? 'ECOSYSTEM');
  fixes.sort((a, b) => cmp.compare(a, b));
  return verdict ? { affected: true, ...verdict, fixes: [...new Set(fixes)] } : { affected: false, fixes };
}

/** One range of an entry with what evaluating it against any version needs, worked out once. */
interface CompiledRange {
  readonly range: OsvRange;
  readonly cmp: VersionComparator;
  readonly limits: readonly string[];
  readonly fixed: readonly string[];
  /** the events in evaluation order (sorted on first use: sorting can throw, as `inRange`'s does) */
  sorted?: readonly OsvEvent[];
  sortError?: unknown;
}

/** An affected entry compiled for one `rangeComparator`: see `compileAffected`. */
export interface CompiledAffected {
  readonly rangeComparator: (type: OsvRange['type']) => VersionComparator;
  readonly ranges: readonly CompiledRange[];
  readonly versions: { has(v: string): boolean };
  readonly fixOrder: VersionComparator;
}

/**
 * An affected entry's ranges and versions prepared for many evaluations with the same comparators:
 * each range's limits, fixes and sorted events are worked out once (the events on first use), so an
 * advisory read once per database handle is evaluated against every package without re-sorting.
 * `evaluateCompiled` gives exactly what `evaluateAffected` gives, errors included.
 */
export function compileAffected(
  affected: Pick<OsvAffected, 'ranges' | 'versions'>,
  rangeComparator: (type: OsvRange['type']) => VersionComparator,
): CompiledAffected {
  const ranges = affected.ranges
    .filter((r) => r.type !== 'GIT')
    .map((range) => ({
      range,
      cmp: rangeComparator(range.type),
      limits: range.events.flatMap((e) => ('limit' in e ? [e.limit] : [])),
      fixed: range.events.flatMap((e) => ('fixed' in e ? [e.fixed] : [])),
    }));
  const { versions } = affected;
  return {
    rangeComparator,
    ranges,
    versions:
      versions.length > 8
        ? new Set(versions)
        : { has: versions.length ? (v: string) => versions.includes(v) : () => false },
    fixOrder: rangeComparator(affected.ranges.find((r) => r.type !== 'GIT')?.type ?? 'ECOSYSTEM'),
  };
}

function sortedEvents(r: CompiledRange): readonly OsvEvent[] {
  if (r.sorted) return r.sorted;
  if (r.sortError !== undefined) throw r.sortError;
  try {
    r.sorted = [...r.range.events].sort((a, b) => compareEventVersions(a, b, r.cmp));
    return r.sorted;
  } catch (err) {
    r.sortError = err;
    throw err;
  }
}

function inCompiledRange(v: string, r: CompiledRange): boolean {
  const { cmp } = r;
  if (r.limits.length && !r.limits.some((l) => l.includes('*') || cmp.compare(v, l) < 0)) return false;
  let vulnerable = false;
  for (const e of sortedEvents(r)) {
    if ('introduced' in e) {
      if (e.introduced === '0' || cmp.compare(v, e.introduced) >= 0) vulnerable = true;
    } else if ('fixed' in e) {
      if (cmp.compare(v, e.fixed) >= 0) vulnerable = false;
    } else if ('last_affected' in e) {
      if (cmp.compare(v, e.last_affected) > 0) vulnerable = false;
    }
  }
  return vulnerable;
}

/** `evaluateAffected` over a compiled entry. */
export function evaluateCompiled(v: string, c: CompiledAffected): RangeVerdict {
  let verdict: Pick<RangeVerdict, 'via' | 'range'> | undefined;
  if (c.versions.has(v)) verdict = { via: 'versions' };
  for (const r of c.ranges) {
    if (verdict) break;
    if (inCompiledRange(v, r)) verdict = { via: 'range', range: r.range };
  }
  const fixes: string[] = [];
  for (const r of c.ranges) {
    for (const f of r.fixed) if (r.cmp.compare(f, v) > 0) fixes.push(f);
  }
  if (fixes.length > 1) fixes.sort((a, b) => c.fixOrder.compare(a, b));
  return verdict ? { affected: true, ...verdict, fixes: [...new Set(fixes)] } : { affected: false, fixes };
}
