import { severityRating } from '../core/finding/index.js';
import { SEVERITIES, type Severity } from '../core/severity.js';
import type { Finding, ScanResult } from '../core/types.js';
import type { WriteOptions } from './types.js';

const COLORS: Record<Severity, string> = {
  CRITICAL: '\x1b[1;31m',
  HIGH: '\x1b[31m',
  MEDIUM: '\x1b[33m',
  LOW: '\x1b[36m',
  UNKNOWN: '\x1b[2m',
};

/** Renders rows as an aligned text table with a header rule. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function paint(s: Severity, text: string, color: boolean | undefined): string {
  return color ? `${COLORS[s]}${text}\x1b[0m` : text;
}

function where(f: Finding): string {
  const l = f.location;
  const pos = l.path ? `${l.path}${l.line ? `:${l.line}` : ''}` : '';
  return [l.resource, pos].filter(Boolean).join(' ') || '-';
}

/** `HIGH 7.5` when the severity came from a CVSS base score, else the severity alone. */
export function severityText(f: Finding): string {
  const rating = severityRating(f);
  return rating ? `${f.severity} ${rating.score.toFixed(1)}` : f.severity;
}

function findingRows(findings: readonly Finding[], color?: boolean): string[][] {
  return findings.map((f) => [
    paint(f.severity, severityText(f), color),
    f.id,
    f.package ? `${f.package.name} ${f.package.version}` : where(f),
    f.fixedVersion ?? '',
    f.title.length > 80 ? `${f.title.slice(0, 79)}…` : f.title,
  ]);
}

/** The human report: target, OS, counts, then findings (or the package list when there are none). */
export function writeTable(result: ScanResult, options: WriteOptions = {}): string {
  const out: string[] = [];
  const t = result.target;
  out.push(`${t.name}${t.digest ? ` (${t.digest})` : ''}`);
  if (result.os) out.push(`OS: ${result.os.family} ${result.os.version}`);
  out.push(
    `Packages: ${result.packages.length}   Findings: ${result.findings.length} (${SEVERITIES.map(
      (s) => `${s}: ${result.summary[s]}`,
    ).join(', ')})`,
  );
  out.push('');
  if (result.findings.length > 0) {
    out.push(
      renderTable(
        ['SEVERITY', 'ID', 'PACKAGE / LOCATION', 'FIXED', 'TITLE'],
        findingRows(result.findings, options.color),
      ),
    );
  } else if (result.packages.length > 0) {
    out.push(
      renderTable(
        ['PACKAGE', 'VERSION', 'ECOSYSTEM', 'LAYER'],
        result.packages.map((p) => [p.name, p.version, p.ecosystem, p.layer ? p.layer.slice(7, 19) : '']),
      ),
    );
  } else {
    out.push('No findings.');
  }
  if (result.errors.length > 0) {
    out.push('', `Errors (${result.errors.length}):`);
    for (const e of result.errors) out.push(`  ${e.analyzer}${e.path ? ` ${e.path}` : ''}: ${e.message}`);
  }
  return `${out.join('\n')}\n`;
}
