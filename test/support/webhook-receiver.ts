import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the receiver saw it. */
export interface Received {
  readonly at: number;
  readonly headers: IncomingMessage['headers'];
  readonly path: string;
  readonly body: Record<string, unknown>;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly seen: Received[];
  /** waits until `n` requests have come (or throws after `timeoutMs`) */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** Decides the answer to the n-th request (from 0); leaving `res` alone keeps the request hanging. */
export type Answer = (
  n: number,
  res: ServerResponse,
  req: IncomingMessage,
  body: Record<string, unknown>,
) => void;

/** Answers with the given statuses in turn (the last one repeated). */
export const statuses =
  (...codes: number[]): Answer =>
  (n, res) => {
    res.writeHead(codes[Math.min(n, codes.length - 1)] ?? 200);
    res.end();
  };

/** A real webhook receiver on 127.0.0.1 for notifier and `--forward` tests: records every request (JSON bodies). */
export async function webhookReceiver(answer: Answer): Promise<WebhookReceiver> {
  const seen: Received[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = seen.length;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      seen.push({ at: Date.now(), headers: req.headers, path: req.url ?? '', body });
      answer(n, res, req, body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    waitFor: async (n, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (seen.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} webhook requests, got ${seen.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return seen;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
