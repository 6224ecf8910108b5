import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';

/**
 * Misbehaving servers on 127.0.0.1 for transport tests (unit and hostile): each tracks its
 * sockets so `close()` ends even while a client still hangs on.
 */
export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `127.0.0.1:PORT` */
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

async function listen(server: net.Server): Promise<TestServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A plain HTTP server with the given handler. */
export function httpServer(handler: Handler): Promise<TestServer> {
  return listen(http.createServer(handler));
}

/** Accepts TCP connections and never sends a byte. */
export function silentServer(): Promise<TestServer> {
  return listen(net.createServer(() => undefined));
}

/** Answers 200 at once, then sends one byte of body every `everyMs`, forever. */
export function trickleServer(everyMs = 1000): Promise<TestServer> {
  return httpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => res.write(' '), everyMs);
    res.on('close', () => clearInterval(timer));
  });
}

/** Answers 200 with a chunked body that never ends (1 MiB chunks, as fast as the client reads). */
export function endlessServer(contentType = 'application/json'): Promise<TestServer> {
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  return httpServer((_req, res) => {
    res.writeHead(200, { 'content-type': contentType });
    const pump = (): void => {
      while (res.write(chunk)) {
        if (res.destroyed) return;
      }
      res.once('drain', pump);
    };
    res.on('error', () => undefined);
    pump();
  });
}

/**
 * Fails every request with `status` and an error body that echoes the Authorization header it
 * got, raw and base64-decoded, the way a careless server's debug output does.
 */
export function echoCredentialsServer(status = 500): Promise<TestServer> {
  return httpServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    const b64 = auth.replace(/^Basic\s+/i, '');
    const decoded = Buffer.from(b64, 'base64').toString('utf8');
    const text = `bad request: got "${auth}" = ${b64} (${decoded}) from ${req.url}`;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: text, errors: [{ code: 'DENIED', message: text }] }));
  });
}

/** Answers `status` with an error text full of terminal escapes (clear screen, colours, a title). */
export const ANSI_TEXT =
  '\u001b[2J\u001b[31mPWNED\u001b[0m \u001b]0;evil title\u0007rm -rf / \u009b1mbold\u001b[0m\rhidden';

export function ansiServer(status = 500): Promise<TestServer> {
  return httpServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: ANSI_TEXT, errors: [{ code: 'DENIED', message: ANSI_TEXT }] }));
  });
}

export interface TestProxy extends TestServer {
  /** `CONNECT host:port` or `GET http://...` lines, in order */
  readonly seen: string[];
}

/**
 * A forward proxy: CONNECT tunnels (https targets) and absolute-form requests (http targets),
 * recording what it was asked.
 */
export async function connectProxy(): Promise<TestProxy> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '/');
    const upstream = http.request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const base = await listen(server);
  return { ...base, seen };
}
