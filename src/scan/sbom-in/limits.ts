import { getHeapStatistics } from 'node:v8';
import { READ_LIMITS } from '../../core/safe-read.js';

const MiB = 1024 * 1024;
/** the CLI's own heap (code, tables, the advisory database handle) before the SBOM is read */
const HEAP_BASELINE = 48 * MiB;
/**
 * Heap a scan holds at its peak per byte of SBOM JSON: the text, the parsed tree, the entries and
 * packages built from it and the result, up to the SPDX document `strata sbom --format spdx` writes
 * (the largest output). Measured under a 512 MiB heap: 24 MiB of minimal CycloneDX components (260,000)
 * re-written as SPDX pass, 38 MiB abort; 20 bytes a byte caps at 23 MiB.
 */
export const HEAP_PER_BYTE = 20;

/**
 * The SBOM byte cap for this process: READ_LIMITS.sbom (512 MiB), lowered to what the heap can
 * hold, so an oversized SBOM is one error naming it instead of an out-of-memory abort.
 */
export function sbomByteLimit(heapLimit = getHeapStatistics().heap_size_limit): number {
  const fits = Math.floor((heapLimit - HEAP_BASELINE) / HEAP_PER_BYTE);
  return Math.min(READ_LIMITS.sbom, Math.max(MiB, fits));
}

/** Nested CycloneDX components deeper than this are refused (real SBOMs nest a few levels). */
export const MAX_NESTING = 32;

/** Components or packages in one document; more is refused. */
export const MAX_ENTRIES = 1_000_000;
