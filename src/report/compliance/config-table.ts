import { SEVERITIES } from '../../core/severity.js';
import type { Finding, ScanResult } from '../../core/types.js';
import { renderTable } from '../table.js';
import type { WriteOptions } from '../types.js';

const COLORS = {
  CRITICAL: '\x1b[1;31m',
  HIGH: '\x1b[31m',
  MEDIUM: '\x1b[33m',
  LOW: '\x1b[36m',
  UNKNOWN: '\x1b[2m',
} as const;

function groupKey(f: Finding): string {
  const l = f.location;
  return l.resource && l.path ? `${l.resource} (${l.path})` : (l.resource ?? l.path ?? '-');
}

/**
 * The human report of `strata config`: findings grouped by resource (or file for Dockerfiles),
 * each group a table of severity, id, line and title; then partial failures.
 */
export function writeConfigTable(result: ScanResult, options: WriteOptions = {}): string {
  const out: string[] = [];
  out.push(result.target.name);
  out.push(
    `Findings: ${result.findings.length} (${SEVERITIES.map((s) => `${s}: ${result.summary[s]}`).join(', ')})`,
    '',
  );
  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const key = groupKey(f);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  if (groups.size === 0) out.push('No misconfigurations found.', '');
  for (const key of [...groups.keys()].sort()) {
    const findings = (groups.get(key) ?? []).sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0));
    out.push(key);
    out.push(
      renderTable(
        ['SEVERITY', 'ID', 'LINE', 'TITLE'],
        findings.map((f) => [
          options.color ? `${COLORS[f.severity]}${f.severity}\x1b[0m` : f.severity,
          f.id,
          f.location.line ? String(f.location.line) : '',
          f.title,
        ]),
      ),
      '',
    );
  }
  if (result.errors.length > 0) {
    out.push(`Errors (${result.errors.length}):`);
    for (const e of result.errors) out.push(`  ${e.analyzer}${e.path ? ` ${e.path}` : ''}: ${e.message}`);
    out.push('');
  }
  return out.join('\n');
}
