import { SEVERITIES, type Severity, severityRank } from './severity.js';
import type { Finding, LayerInfo, OSInfo, Package, ScanError, ScanResult, ScanTarget } from './types.js';
import { toolVersion } from './version.js';

export interface ResultParts {
  readonly target: ScanTarget;
  readonly os?: OSInfo;
  readonly layers?: readonly LayerInfo[];
  readonly packages?: readonly Package[];
  readonly findings?: readonly Finding[];
  readonly errors?: readonly ScanError[];
  readonly metadata?: Readonly<Record<string, unknown>>;
}

const cmp = (a: string | number | undefined, b: string | number | undefined): number =>
  a === b ? 0 : a === undefined ? -1 : b === undefined ? 1 : a < b ? -1 : 1;

export function comparePackages(a: Package, b: Package): number {
  return (
    cmp(a.name, b.name) ||
    cmp(a.version, b.version) ||
    cmp(a.ecosystem, b.ecosystem) ||
    cmp(a.path, b.path) ||
    cmp(a.purl, b.purl) ||
    cmp(a.layer, b.layer)
  );
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(a.kind, b.kind) ||
    cmp(a.id, b.id) ||
    cmp(a.package?.name, b.package?.name) ||
    cmp(a.package?.version, b.package?.version) ||
    cmp(a.location.resource, b.location.resource) ||
    cmp(a.location.container, b.location.container) ||
    cmp(a.location.image, b.location.image) ||
    cmp(a.location.path, b.location.path) ||
    cmp(a.location.line, b.location.line) ||
    cmp(a.location.layer, b.location.layer) ||
    cmp(a.title, b.title)
  );
}

export function compareErrors(a: ScanError, b: ScanError): number {
  return cmp(a.analyzer, b.analyzer) || cmp(a.path, b.path) || cmp(a.message, b.message);
}

export function summarize(findings: readonly Finding[]): Record<Severity, number> {
  const summary = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) summary[f.severity] += 1;
  return summary;
}

/** Assembles a result with every array sorted, so the same input gives byte-identical output. */
export function buildResult(parts: ResultParts): ScanResult {
  const findings = [...(parts.findings ?? [])].sort(compareFindings);
  return {
    schemaVersion: 1,
    tool: { name: 'strata', version: toolVersion() },
    target: parts.target,
    ...(parts.os ? { os: parts.os } : {}),
    ...(parts.layers ? { layers: parts.layers } : {}),
    packages: [...(parts.packages ?? [])].sort(comparePackages),
    findings,
    summary: summarize(findings),
    errors: [...(parts.errors ?? [])].sort(compareErrors),
    ...(parts.metadata ? { metadata: parts.metadata } : {}),
  };
}
