import type { IncomingMessage } from 'node:http';

export type BodyOutcome =
  | { readonly type: 'ok'; readonly text: string }
  | { readonly type: 'too-large' }
  | { readonly type: 'aborted' };

/** Reads a request body up to `limit` bytes; beyond it the rest is discarded, not kept (the caller answers 413). */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyOutcome> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ type: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (o: BodyOutcome) => {
      if (done) return;
      done = true;
      resolve(o);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        finish({ type: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ type: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => finish({ type: 'aborted' }));
    req.on('close', () => finish({ type: 'aborted' }));
  });
}
