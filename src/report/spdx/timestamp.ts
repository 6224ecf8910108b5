import { UsageError } from '../../core/errors.js';
import type { ScanResult } from '../../core/types.js';

/** SPDX needs a creation time; without one from the caller we use the Unix epoch, never the clock. */
export const EPOCH = '1970-01-01T00:00:00Z';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 date-time as UTC to the second (`2024-05-01T10:00:00Z`), or undefined when it is not one. */
export function toUtcSecond(value: unknown): string | undefined {
  if (typeof value !== 'string' || !RFC3339.test(value)) return undefined;
  const ms = Date.parse(value.replace(' ', 'T'));
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface DocumentTimes {
  /** when the caller says the document was generated (`metadata.generatedAt`) */
  readonly generatedAt?: string;
  /** the SPDX `created` value: generatedAt, else the image's creation time, else the epoch */
  readonly created: string;
}

/** `metadata.imageCreated`, else the `created` of the image config the image scan keeps in `metadata.config`. */
function imageCreated(metadata: ScanResult['metadata']): string | undefined {
  const config = metadata?.config;
  const fromConfig =
    typeof config === 'object' && config !== null ? (config as { created?: unknown }).created : undefined;
  return toUtcSecond(metadata?.imageCreated) ?? toUtcSecond(fromConfig);
}

/**
 * Writers never read the clock, so the same result always gives the same document. The CLI passes
 * the generation time as `metadata.generatedAt` (an RFC 3339 string); a bad value is a usage error.
 */
export function documentTimes(result: ScanResult): DocumentTimes {
  const raw = result.metadata?.generatedAt;
  const generatedAt = toUtcSecond(raw);
  if (raw !== undefined && generatedAt === undefined) {
    throw new UsageError(
      'INVALID_ARGUMENT',
      `metadata.generatedAt: ${JSON.stringify(raw)} is not an RFC 3339 date-time`,
    );
  }
  const created = generatedAt ?? imageCreated(result.metadata) ?? EPOCH;
  return generatedAt ? { generatedAt, created } : { created };
}
