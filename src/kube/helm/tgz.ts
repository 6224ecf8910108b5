import { gunzipSync } from 'node:zlib';
import { HelmError } from './errors.js';

/** Largest packaged subchart unpacked (a gzip bomb is one error). */
const MAX_UNPACKED = 64 * 1024 * 1024;

function field(block: Buffer, start: number, len: number): string {
  const raw = block.subarray(start, start + len);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul < 0 ? len : nul).toString('utf8');
}

function paxPath(data: Buffer): string | undefined {
  for (const rec of data.toString('utf8').split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(rec);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * The regular files of a packaged chart (`charts/name-1.0.0.tgz`), by path below the archive's
 * top directory (`name/templates/x.yaml` is `templates/x.yaml`). ustar, GNU long names and pax
 * paths are read; links and devices are skipped; `..` paths are refused.
 */
export function unpackChart(tgz: Uint8Array, where: string): Map<string, Uint8Array> {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz, { maxOutputLength: MAX_UNPACKED });
  } catch (err) {
    throw new HelmError(
      'CHART_INVALID',
      `${where}: not a gzip archive or larger than ${MAX_UNPACKED} bytes`,
      { cause: err },
    );
  }
  const files = new Map<string, Uint8Array>();
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = field(header, 345, 155);
    const data = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (Number.isNaN(size) || data.length < size)
      throw new HelmError('CHART_INVALID', `${where}: truncated tar archive`);
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === 'g') continue;
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    if (type !== '0' && type !== '\0') continue;
    const parts = name.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..'))
      throw new HelmError('CHART_INVALID', `${where}: archive path ${JSON.stringify(name)} leaves the chart`);
    if (parts.length < 2) continue;
    files.set(parts.slice(1).join('/'), new Uint8Array(data));
  }
  return files;
}
