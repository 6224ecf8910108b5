import type { Severity } from '../../core/severity.js';

/** SARIF result level for a severity. */
export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'CRITICAL' || s === 'HIGH' ? 'error' : s === 'MEDIUM' ? 'warning' : 'note';
}

/** The `security-severity` score GitHub code scanning ranks by (CVSS-like, as a string). */
export function securitySeverity(s: Severity): string {
  return { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0', UNKNOWN: '0.0' }[s];
}
