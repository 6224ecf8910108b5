import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorText, type HttpClient, header, redactUrl, TransportError } from '../../transport/index.js';
import { VulnError } from '../errors.js';

export type DownloadResult =
  | { readonly notModified: true }
  | { readonly notModified: false; readonly etag?: string; readonly lastModified?: string };

const CONNECT_FAILURES = new Set(['UNREACHABLE', 'TLS', 'PROXY', 'CONNECT_TIMEOUT']);
/** The whole update is over: the command's deadline passed or it was cancelled. */
const FATAL = new Set(['DEADLINE', 'CANCELLED']);

/**
 * GETs one export into `dest` through the shared transport (conditional on the ETag /
 * Last-Modified remembered from last time), streaming with the advisory-export cap, the idle
 * timeout and the command's deadline. A mirror that cannot be reached, a passed deadline or a
 * cancel is DOWNLOAD_FAILED (the update stops); an answer other than 2xx/304 or a broken transfer is
 * EXPORT_UNAVAILABLE (only this ecosystem is skipped). Each is one line.
 */
export async function downloadExport(
  http: HttpClient,
  url: string,
  conditional: { etag?: string | undefined; lastModified?: string | undefined },
  dest: string,
  onBytes: (bytes: number, total?: number) => void,
): Promise<DownloadResult> {
  const headers: Record<string, string> = {};
  if (conditional.etag) headers['if-none-match'] = conditional.etag;
  if (conditional.lastModified) headers['if-modified-since'] = conditional.lastModified;
  try {
    const res = await http.request({ method: 'GET', url: new URL(url), headers, kind: 'advisory-export' });
    if (res.status === 304) {
      res.body.resume();
      return { notModified: true };
    }
    if (res.status < 200 || res.status >= 300) {
      const text = await errorText(res, 120);
      throw new VulnError(
        'EXPORT_UNAVAILABLE',
        `GET ${redactUrl(url)}: HTTP ${res.status}${text ? ` (${text})` : ''}`,
      );
    }
    const total = Number(header(res, 'content-length')) || undefined;
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        onBytes(bytes, total);
        cb(null, chunk);
      },
    });
    await pipeline(res.body, meter, createWriteStream(dest));
    const etag = header(res, 'etag');
    const lastModified = header(res, 'last-modified');
    return { notModified: false, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
  } catch (err) {
    if (err instanceof VulnError) throw err;
    if (err instanceof TransportError && CONNECT_FAILURES.has(err.code)) {
      throw new VulnError(
        'DOWNLOAD_FAILED',
        `cannot reach ${redactUrl(url)} (${err.networkCode ?? err.code}): offline? use --mirror URL, or "strata db import <path>" with a downloaded export`,
        { cause: err },
      );
    }
    if (err instanceof TransportError) {
      const code = FATAL.has(err.code) ? 'DOWNLOAD_FAILED' : 'EXPORT_UNAVAILABLE';
      throw new VulnError(code, err.message, { cause: err });
    }
    throw new VulnError('EXPORT_UNAVAILABLE', `GET ${redactUrl(url)}: the transfer failed`, { cause: err });
  }
}
