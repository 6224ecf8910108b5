import { writeFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import type { ScanResult } from '../../core/types.js';

export type TrustFormat = 'table' | 'json';

export function trustFormat(value: string): TrustFormat {
  if (value !== 'table' && value !== 'json') {
    throw new UsageError('INVALID_ARGUMENT', `--format: "${value}" is not one of table, json`);
  }
  return value;
}

/** `strata verify` / `verify-attestation`: a result with findings, so also the HTML report. */
export type VerifyFormat = TrustFormat | 'html';

export function verifyFormat(value: string): VerifyFormat {
  if (value !== 'table' && value !== 'json' && value !== 'html') {
    throw new UsageError('INVALID_ARGUMENT', `--format: "${value}" is not one of table, json, html`);
  }
  return value;
}

/** A verify result as the HTML report, with the per-signature, policy or integrity details. */
export async function verifyHtml(result: ScanResult): Promise<string> {
  const { writeReport } = await import('../../report/index.js');
  return writeReport(result, 'html', { scanners: ['signature'], details: true });
}

/** `-a key=value` flags, collected by commander. */
export function collectAnnotation(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UsageError('INVALID_ARGUMENT', `-a: "${value}" is not key=value`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** A trust result as the JSON report. */
export function trustJson(result: ScanResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

export function emit(text: string, output: string | undefined): void {
  if (output) writeFileSync(output, text);
  else process.stdout.write(text);
}
