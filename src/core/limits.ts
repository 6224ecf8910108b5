import { UsageError } from './errors.js';

/**
 * How far Strata lets compressed input expand. Real images have layers of a few GiB at most and
 * OSV exports a few GiB in all; a bomb (a zstd or gzip layer, an overlapping zip) meets one of these
 * and stops with an error naming the layer or entry, instead of filling memory or disk.
 */
export interface DecompressionLimits {
  /** uncompressed bytes of one image layer */
  readonly layerBytes: number;
  /** uncompressed bytes of all layers of one image */
  readonly imageBytes: number;
  /** bytes inflated from one zip archive (an advisory export, a jar with its nested jars) */
  readonly zipBytes: number;
  /** the largest zstd window accepted (the zstd CLI's own default limit: 128 MiB) */
  readonly zstdWindowBytes: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export const DEFAULT_DECOMPRESSION_LIMITS: DecompressionLimits = {
  layerBytes: 16 * GiB,
  imageBytes: 64 * GiB,
  zipBytes: 8 * GiB,
  zstdWindowBytes: 128 * MiB,
};

/** The environment variable that overrides each limit. */
export const LIMIT_VARIABLES: Readonly<Record<keyof DecompressionLimits, string>> = {
  layerBytes: 'STRATA_MAX_LAYER_BYTES',
  imageBytes: 'STRATA_MAX_IMAGE_BYTES',
  zipBytes: 'STRATA_MAX_ZIP_BYTES',
  zstdWindowBytes: 'STRATA_MAX_ZSTD_WINDOW_BYTES',
};

const UNITS: Readonly<Record<string, number>> = { '': 1, k: KiB, m: MiB, g: GiB, t: 1024 * GiB };

/** `1048576`, `512M`, `16GiB`, `2 g`: a byte count with an optional binary unit. */
export function parseByteSize(text: string, name: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  const n = m ? Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!) : Number.NaN;
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UsageError('INVALID_ARGUMENT', `${name}: "${text}" is not a byte size (such as 512M or 16G)`);
  return n;
}

/** The defaults, with any `STRATA_MAX_*` environment variable applied. */
export function decompressionLimits(env: NodeJS.ProcessEnv = process.env): DecompressionLimits {
  const out = { ...DEFAULT_DECOMPRESSION_LIMITS };
  for (const key of Object.keys(LIMIT_VARIABLES) as (keyof DecompressionLimits)[]) {
    const name = LIMIT_VARIABLES[key];
    const value = env[name];
    if (value !== undefined && value !== '') out[key] = parseByteSize(value, name);
  }
  return out;
}

/** `16 GiB`, `512 MiB`, `1000 bytes`: for messages. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [
    ['TiB', 1024 * GiB],
    ['GiB', GiB],
    ['MiB', MiB],
    ['KiB', KiB],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} bytes`;
}
