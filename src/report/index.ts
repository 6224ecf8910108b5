import { UsageError } from '../core/errors.js';
import type { ScanResult } from '../core/types.js';
import { writeCycloneDx } from './cyclonedx/index.js';
import { writeHtml } from './html/index.js';
import { streamJson, writeJson } from './json.js';
import { writeSarif } from './sarif/index.js';
import { writeSpdx } from './spdx/index.js';
import { writeTable } from './table.js';
import { FORMATS, type Format, type ReportWriter, type WriteOptions } from './types.js';

export { renderCompliance, writeConfigTable } from './compliance/index.js';
export { type FindingFilter, type FindingSuppressor, filterResult, keepFinding } from './filter.js';
export { DOORS, type DoorId, doorOf } from './html/index.js';
export { MATRIX_FORMATS, type MatrixFormat, renderMatrix } from './netpol-matrix.js';
export { renderTable } from './table.js';
export { FORMATS, type Format, type ReportWriter, type WriteOptions } from './types.js';

/** The writers, one per format (add yours here). A format without a writer is refused with a clear error. */
const WRITERS: Partial<Record<Format, ReportWriter>> = {
  table: writeTable,
  json: writeJson,
  cyclonedx: writeCycloneDx,
  spdx: writeSpdx,
  sarif: writeSarif,
  html: writeHtml,
};

export function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(
      'INVALID_ARGUMENT',
      `--format: unknown format "${value}" (one of ${FORMATS.join(', ')})`,
    );
  }
  return value as Format;
}

/** Refuses a format that has no writer, before any work is done (every format of FORMATS has one today). */
export function assertWritable(format: Format): void {
  if (!WRITERS[format]) {
    throw new UsageError(
      'UNSUPPORTED',
      `--format ${format}: not available yet (use ${FORMATS.filter((f) => WRITERS[f]).join(', ')})`,
    );
  }
}

export function writeReport(result: ScanResult, format: Format, options: WriteOptions = {}): string {
  const writer = WRITERS[format];
  if (!writer) throw new UsageError('UNSUPPORTED', `--format ${format} is not available for this command`);
  return writer(result, options);
}

/**
 * `writeReport`, handed to `write` in pieces where the format allows (JSON: one piece per ~1 MiB
 * of findings), so a large report is never held as one string.
 */
export function streamReport(
  result: ScanResult,
  format: Format,
  options: WriteOptions,
  write: (chunk: string) => void,
): void {
  if (format === 'json') streamJson(result, write);
  else write(writeReport(result, format, options));
}
