import type { ScanResult } from '../core/types.js';

/** The JSON contract of SPEC.md; `metadata` is internal and left out. */
export function writeJson(result: ScanResult): string {
  let text = '';
  streamJson(result, (chunk) => {
    text += chunk;
  });
  return text;
}

const INDENT = '  ';

/** `JSON.stringify(value, null, 2)` of a value nested `depth` levels deep (its lines indented). */
function nested(value: unknown, depth: number): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  // a JSON text holds no raw newline inside a string: every newline is between tokens
  return text === undefined ? undefined : text.replace(/\n/g, `\n${INDENT.repeat(depth)}`);
}

/** Values JSON.stringify leaves out of an object (and writes as `null` in an array). */
const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * `writeJson`'s text, handed to `write` a piece at a time: each item of the top-level arrays
 * (findings, packages, errors) is stringified on its own, so a report of 100,000 findings never
 * exists as one string (a cluster's report is hundreds of MiB). Byte for byte the same text.
 */
export function streamJson(result: ScanResult, write: (chunk: string) => void): void {
  const { metadata: _metadata, ...contract } = result;
  const fields = Object.entries(contract).filter(([, v]) => !omitted(v));
  if (fields.length === 0) {
    write('{}\n');
    return;
  }
  let buffer = '{\n';
  const flush = () => {
    if (buffer.length > 0) write(buffer);
    buffer = '';
  };
  fields.forEach(([key, value], i) => {
    buffer += `${INDENT}${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0 && !('toJSON' in value)) {
      buffer += '[\n';
      value.forEach((item: unknown, j) => {
        buffer += `${INDENT}${INDENT}${nested(item, 2) ?? 'null'}${j < value.length - 1 ? ',' : ''}\n`;
        if (buffer.length >= 1 << 20) flush();
      });
      buffer += `${INDENT}]`;
    } else {
      buffer += nested(value, 1);
    }
    buffer += i < fields.length - 1 ? ',\n' : '\n';
  });
  buffer += '}\n';
  flush();
}
