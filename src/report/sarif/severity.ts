import type { Severity } from '../../core/severity.js';

/** SARIF result level for a severity. */
export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'CRITICAL' || s === 'HIGH' ? 'error' : s === 'MEDIUM' ? 'warning' : 'note';
}

/**
 * The `security-severity` GitHub code scanning ranks by, as a string: the CVSS base score when the
 * severity came from one, else a score inside the severity's CVSS band.
 */
export function securitySeverity(s: Severity, baseScore?: number): string {
  if (baseScore !== undefined) return baseScore.toFixed(1);
  return { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0', UNKNOWN: '0.0' }[s];
}
