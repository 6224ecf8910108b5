import type { HttpResponse } from './client.js';
import { sanitize } from './redact.js';

/** A whole body (its kind's cap is enforced by the client while streaming). */
export async function readBody(res: Pick<HttpResponse, 'body'>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res.body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * At most `max` bytes of a body (an error answer read for its message); the rest is not read and
 * the body is given up, so an endless or stalled error body costs nothing. Never throws.
 */
export async function readPrefix(res: Pick<HttpResponse, 'body'>, max = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= max) break;
    }
  } catch {
    // a broken error body still leaves whatever came
  } finally {
    discard(res);
  }
  return Buffer.concat(chunks).subarray(0, max);
}

/** Gives a body up without reading it (the connection is closed, not reused). */
export function discard(res: Pick<HttpResponse, 'body'>): void {
  res.body.on('error', () => undefined);
  res.body.destroy();
}

/**
 * The message of an error answer, fit for one line: `message` / `errors[0].message` of a JSON
 * body, or its text, sanitized (no control sequences, no credentials) and cut short.
 */
export async function errorText(res: Pick<HttpResponse, 'body'>, max = 200): Promise<string> {
  const text = (await readPrefix(res)).toString('utf8');
  let message: unknown;
  try {
    const doc = JSON.parse(text) as { message?: unknown; errors?: { message?: unknown }[] };
    message = typeof doc.message === 'string' ? doc.message : doc.errors?.[0]?.message;
  } catch {
    message = undefined;
  }
  return sanitize(typeof message === 'string' ? message : text, max);
}
