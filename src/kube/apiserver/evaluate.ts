import { type MisconfigurationFinding, misconfigurationFinding } from '../../core/finding/index.js';
import { parseBool } from './flags.js';
import type { ControlCheck, Expectation, Settings } from './types.js';

export const BENCHMARK = 'CIS Kubernetes Benchmark v1.9';
const REFERENCE = 'https://www.cisecurity.org/benchmark/kubernetes';

/** `0`, `0s`, `0m0s`: a Go duration (or number) of zero. */
const isZero = (v: string) => /^(0+(\.0+)?(ns|us|µs|ms|s|m|h)?)+$/.test(v);

interface Verdict {
  readonly value?: string;
  readonly expected: string;
  readonly line?: number;
}

function defaultOf(s: Settings, check: ControlCheck, fallback: string | undefined): string | undefined {
  return s.defaultOf?.(check.key) ?? fallback;
}

/** Undefined when the check passes (or cannot be judged from explicit-only settings). */
function judge(s: Settings, check: ControlCheck, e: Expectation): Verdict | undefined {
  const set = s.get(check.key);
  const explicitOnly = s.completeness === 'explicit' && !set;
  switch (e.kind) {
    case 'true':
    case 'false': {
      if (explicitOnly) return undefined;
      const raw = set?.value ?? defaultOf(s, check, String(e.default));
      const ok = parseBool(raw ?? '') === (e.kind === 'true');
      return ok ? undefined : { ...(set ? { value: set.value, line: set.line } : {}), expected: e.kind };
    }
    case 'set':
      if (explicitOnly) return undefined;
      return set?.value
        ? undefined
        : { ...(set ? { value: '', line: set.line } : {}), expected: 'set to a file or value' };
    case 'unset':
      return set ? { value: set.value, line: set.line, expected: 'not set' } : undefined;
    case 'has':
    case 'lacks': {
      const list = s.list(check.key);
      if (s.completeness === 'explicit' && !list) return undefined;
      const present = list?.values.includes(e.item) ?? false;
      if (present === (e.kind === 'has')) return undefined;
      return {
        ...(list ? { value: list.values.join(','), line: list.line } : {}),
        expected: e.kind === 'has' ? `includes ${e.item}` : `does not include ${e.item}`,
      };
    }
    case 'gte': {
      if (!set) return undefined;
      const n = Number(set.value);
      return Number.isFinite(n) && n >= e.min
        ? undefined
        : { value: set.value, line: set.line, expected: `>= ${e.min}` };
    }
    case 'equalsOrUnset':
      return !set || set.value === e.value
        ? undefined
        : { value: set.value, line: set.line, expected: e.value };
    case 'not':
    case 'equals': {
      if (explicitOnly) return undefined;
      const raw = set?.value ?? defaultOf(s, check, e.default);
      if (raw === undefined) return undefined;
      const same = raw === e.value || (e.value === '0' && isZero(raw));
      const bad = e.kind === 'not' ? same : !same;
      if (!bad) return undefined;
      return {
        value: raw,
        ...(set ? { line: set.line } : {}),
        expected: e.kind === 'not' ? `not ${e.value}` : e.value,
      };
    }
  }
}

/** Runs every check of the settings' component; one finding per failed check, at the setting's line. */
export function evaluate(s: Settings, checks: readonly ControlCheck[]): MisconfigurationFinding[] {
  const out: MisconfigurationFinding[] = [];
  for (const check of checks) {
    if (check.component !== s.component) continue;
    const v = judge(s, check, check.expect);
    if (!v) continue;
    const setting = s.describe(check.key);
    const shown = v.value === undefined ? 'not set' : `${setting}=${v.value}`;
    out.push(
      misconfigurationFinding({
        id: check.id.startsWith('K8S-') ? check.id : `CIS-${check.id}`,
        severity: check.severity,
        title: `${check.title} (${shown})`,
        location: { path: s.location.path, line: v.line ?? s.location.line, resource: s.location.resource },
        evidence: {
          component: s.component,
          setting,
          ...(v.value !== undefined ? { value: v.value } : { value: null }),
          expected: v.expected,
          benchmark: check.legacy ?? `${BENCHMARK} ${check.id}`,
        },
        references: [REFERENCE],
      }),
    );
  }
  return out;
}
