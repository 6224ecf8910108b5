import type { ScanResult } from '../core/types.js';

/** The JSON contract of SPEC.md; `metadata` is internal and left out. */
export function writeJson(result: ScanResult): string {
  const { metadata: _metadata, ...contract } = result;
  return `${JSON.stringify(contract, null, 2)}\n`;
}
