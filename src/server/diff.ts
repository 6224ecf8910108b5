import type { Finding, ScanResult } from '../core/index.js';

export interface FindingDiff {
  readonly new: readonly Finding[];
  readonly fixed: readonly Finding[];
  readonly unchanged: readonly Finding[];
}

/** The same finding in two scans: same kind, id, package name and place (a version bump keeps it). */
function key(f: Finding): string {
  return [f.kind, f.id, f.package?.name ?? '', f.location.path ?? '', f.location.resource ?? ''].join(
    '\u0000',
  );
}

/** Findings of `current` not in `previous` (new), of `previous` not in `current` (fixed), of both. */
export function diffResults(current: ScanResult, previous: ScanResult): FindingDiff {
  const before = new Set(previous.findings.map(key));
  const after = new Set(current.findings.map(key));
  return {
    new: current.findings.filter((f) => !before.has(key(f))),
    fixed: previous.findings.filter((f) => !after.has(key(f))),
    unchanged: current.findings.filter((f) => before.has(key(f))),
  };
}
