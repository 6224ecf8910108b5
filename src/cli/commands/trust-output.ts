import { writeFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import {
  signatureFinding as build,
  type SignatureEvidence,
  type SignatureFinding,
} from '../../core/finding/index.js';
import { buildResult } from '../../core/result.js';
import type { Severity } from '../../core/severity.js';
import type { Finding } from '../../core/types.js';

export type TrustFormat = 'table' | 'json';

export function trustFormat(value: string): TrustFormat {
  if (value !== 'table' && value !== 'json') {
    throw new UsageError('INVALID_ARGUMENT', `--format: "${value}" is not one of table, json`);
  }
  return value;
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

/** A SPEC.md result for a trust check: failures as `signature` findings, the details in metadata. */
export function trustResult(
  name: string,
  digest: string | undefined,
  findings: readonly Finding[],
  metadata: Record<string, unknown>,
): string {
  const result = buildResult({
    target: { type: 'container_image', name, ...(digest ? { digest } : {}) },
    findings,
    metadata,
  });
  return `${JSON.stringify(result, null, 2)}\n`;
}

export function signatureFinding(
  id: string,
  image: string,
  title: string,
  evidence: SignatureEvidence,
  severity: Severity = 'HIGH',
): SignatureFinding {
  return build({ id, severity, title, location: { resource: image }, evidence });
}

export function emit(text: string, output: string | undefined): void {
  if (output) writeFileSync(output, text);
  else process.stdout.write(text);
}
