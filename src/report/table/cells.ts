import { severityRating } from '../../core/finding/index.js';
import { summarize } from '../../core/result.js';
import { SEVERITIES, type Severity } from '../../core/severity.js';
import type { Finding } from '../../core/types.js';
import type { GridOptions } from './grid.js';
import { cleanText, displayWidth } from './text.js';

export interface SectionOptions {
  readonly color?: boolean;
  readonly width?: number;
  /** every target's package list, even without findings (`--list-all-pkgs`) */
  readonly listAllPackages?: boolean;
}

/** One titled block of the report: a target's vulnerabilities, a file's secrets, ... */
export interface Section {
  readonly title: string;
  readonly body: readonly string[];
}

const COLORS: Record<Severity, string> = {
  CRITICAL: '\x1b[1;31m',
  HIGH: '\x1b[31m',
  MEDIUM: '\x1b[33m',
  LOW: '\x1b[36m',
  UNKNOWN: '\x1b[2m',
};

function paint(s: Severity, text: string, color: boolean | undefined): string {
  return color ? `${COLORS[s]}${text}\x1b[0m` : text;
}

/** `HIGH 7.5` when the severity came from a CVSS base score, else the severity alone. */
export function severityText(f: Finding): string {
  const rating = severityRating(f);
  return rating ? `${f.severity} ${rating.score.toFixed(1)}` : f.severity;
}

export function totals(findings: readonly Finding[]): string {
  const summary = summarize(findings);
  return `${findings.length} (${SEVERITIES.map((s) => `${s}: ${summary[s]}`).join(', ')})`;
}

export const grid = (o: SectionOptions): GridOptions => (o.width !== undefined ? { width: o.width } : {});
export const sev = (f: Finding, o: SectionOptions) => paint(f.severity, severityText(f), o.color);
export const shortLayer = (digest: string | undefined) =>
  digest ? digest.replace(/^sha256:/, '').slice(0, 12) : '';

/** `Deployment/ns/web deploy.yaml:12`, or `-` */
export function where(f: Finding): string {
  const l = f.location;
  const pos = l.path ? `${l.path}${l.line ? `:${l.line}` : ''}` : '';
  return cleanText([l.resource, pos].filter(Boolean).join(' ')) || '-';
}

/** A section as text: the title underlined (Trivy's `====`), then its body. */
export function renderSection(section: Section): string {
  return [section.title, '='.repeat(displayWidth(section.title)), ...section.body].join('\n');
}
