import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { ImageError } from '../errors.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** the URL that answered (after redirects) */
  readonly url: URL;
  readonly body: IncomingMessage;
}

export interface TransportOptions {
  /** extra trusted CA certificates (PEM) */
  readonly ca?: string | Buffer;
  /** false only for `insecure` registries */
  readonly verifyTls: boolean;
  /** idle timeout for connect, headers and each body read */
  readonly timeoutMs: number;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function once(req: HttpRequest, opts: TransportOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const isHttps = req.url.protocol === 'https:';
    const lib = isHttps ? https : http;
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['content-length'] = String(req.body.length);
    const r = lib.request(req.url, {
      method: req.method,
      headers,
      ...(req.signal ? { signal: req.signal } : {}),
      ...(isHttps ? { rejectUnauthorized: opts.verifyTls, ...(opts.ca ? { ca: opts.ca } : {}) } : {}),
    });
    r.setTimeout(opts.timeoutMs, () => {
      const err = Object.assign(new Error(`no answer from ${req.url.host} within ${opts.timeoutMs} ms`), {
        code: 'ETIMEDOUT',
      });
      r.destroy(err);
    });
    r.on('error', reject);
    r.on('response', (res) =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, url: req.url, body: res }),
    );
    r.end(req.body ? Buffer.from(req.body) : undefined);
  });
}

/**
 * One HTTP exchange over node:http(s), following redirects (a blob store behind the registry).
 * Credentials never follow a redirect to another origin.
 */
export async function send(req: HttpRequest, opts: TransportOptions): Promise<HttpResponse> {
  let current = req;
  for (let hop = 0; ; hop++) {
    const res = await once(current, opts);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.status) || !location) return res;
    res.body.resume();
    if (hop >= MAX_REDIRECTS) {
      throw new ImageError('REGISTRY_ERROR', `${req.url.host}: more than ${MAX_REDIRECTS} redirects`);
    }
    const url = new URL(location, current.url);
    const headers: Record<string, string> = { ...current.headers };
    if (url.origin !== current.url.origin) delete headers.authorization;
    const toGet =
      res.status === 303 || ((res.status === 301 || res.status === 302) && current.method === 'POST');
    current = toGet
      ? { method: 'GET', url, headers, ...(req.signal ? { signal: req.signal } : {}) }
      : { ...current, url, headers };
  }
}

/** Reads a whole (small) body, refusing more than `max` bytes. */
export async function readBody(res: HttpResponse, max: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    res.body.destroy();
    throw new ImageError('TOO_LARGE', `${what}: ${declared} bytes is more than the ${max} allowed`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > max) {
      res.body.destroy();
      throw new ImageError('TOO_LARGE', `${what}: more than the ${max} bytes allowed`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Discards a body so the connection can be reused. */
export function discard(res: HttpResponse): void {
  res.body.resume();
}

export function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}
