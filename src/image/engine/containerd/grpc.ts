import http2 from 'node:http2';
import net from 'node:net';
import { StrataError } from '../../../core/errors.js';
import { timeoutsFromEnv } from '../../../transport/index.js';

/** gRPC status codes Strata tells apart (the rest are reported by number and message). */
export const GRPC_STATUS = { OK: 0, NOT_FOUND: 5, UNAVAILABLE: 14 } as const;

/** A call that ended with a non-OK gRPC status, or a broken gRPC exchange. */
export class GrpcError extends StrataError<'GRPC_STATUS' | 'GRPC_PROTOCOL'> {
  constructor(
    readonly status: number,
    message: string,
    options: { cause?: unknown; protocol?: boolean } = {},
  ) {
    super(options.protocol ? 'GRPC_PROTOCOL' : 'GRPC_STATUS', message, {
      cause: options.cause,
      userError: true,
    });
  }
}

/** No message larger than this is accepted (containerd sends content in chunks of at most 1 MiB). */
const MAX_MESSAGE = 16 * 1024 * 1024;

function frame(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

function header(h: http2.IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A gRPC client over HTTP/2 on a unix socket (node:http2): unary and server-streaming calls with
 * length-prefixed messages and the status from the trailers. Connect and idle timeouts are the
 * transport's (STRATA_CONNECT_TIMEOUT, STRATA_IDLE_TIMEOUT).
 */
export class GrpcClient {
  private session: http2.ClientHttp2Session | undefined;
  private readonly timeouts = timeoutsFromEnv();

  constructor(
    private readonly socketPath: string,
    private readonly metadata: Readonly<Record<string, string>> = {},
  ) {}

  private connect(): Promise<http2.ClientHttp2Session> {
    if (this.session && !this.session.destroyed) return Promise.resolve(this.session);
    return new Promise((resolve, reject) => {
      const session = http2.connect('http://localhost', {
        createConnection: () => net.connect(this.socketPath),
      });
      const timer = setTimeout(() => {
        session.destroy();
        reject(new GrpcError(GRPC_STATUS.UNAVAILABLE, `no connection within ${this.timeouts.connectMs} ms`));
      }, this.timeouts.connectMs);
      session.once('connect', () => {
        clearTimeout(timer);
        session.removeAllListeners('error');
        session.on('error', () => undefined);
        this.session = session;
        resolve(session);
      });
      session.once('error', (err) => {
        clearTimeout(timer);
        session.destroy();
        reject(err);
      });
    });
  }

  /** The messages a call answers, in order; ends with an error unless the status is OK. */
  async *call(
    path: string,
    request: Buffer,
    metadata: Readonly<Record<string, string>> = {},
    signal?: AbortSignal,
  ): AsyncGenerator<Buffer> {
    const session = await this.connect();
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...this.metadata,
      ...metadata,
    });
    let status: string | undefined;
    let message: string | undefined;
    const onAbort = () => stream.close(http2.constants.NGHTTP2_CANCEL);
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.setTimeout(this.timeouts.idleMs, () =>
      stream.destroy(
        new GrpcError(GRPC_STATUS.UNAVAILABLE, `${path}: no data for ${this.timeouts.idleMs} ms`),
      ),
    );
    const statusFrom = (h: http2.IncomingHttpHeaders) => {
      status = header(h, 'grpc-status') ?? status;
      message = header(h, 'grpc-message') ?? message;
    };
    stream.on('response', statusFrom);
    stream.on('trailers', statusFrom);
    stream.end(frame(request));
    try {
      let pending: Buffer = Buffer.alloc(0);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        while (pending.length >= 5) {
          if (pending[0] !== 0)
            throw new GrpcError(2, `${path}: compressed messages are not supported`, { protocol: true });
          const length = pending.readUInt32BE(1);
          if (length > MAX_MESSAGE) {
            throw new GrpcError(2, `${path}: a message of ${length} bytes (more than ${MAX_MESSAGE})`, {
              protocol: true,
            });
          }
          if (pending.length < 5 + length) break;
          yield pending.subarray(5, 5 + length);
          pending = pending.subarray(5 + length);
        }
      }
      if (signal?.aborted) throw signal.reason;
      if (pending.length > 0)
        throw new GrpcError(2, `${path}: the answer ends inside a message`, { protocol: true });
      if (status === undefined)
        throw new GrpcError(2, `${path}: the answer has no gRPC status`, { protocol: true });
      if (status !== '0') {
        const text = decodeURIComponent(message ?? '').slice(0, 300);
        throw new GrpcError(Number(status), `${path}: ${text || `gRPC status ${status}`}`);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    }
  }

  /** A unary call: its one answer. */
  async unary(
    path: string,
    request: Buffer,
    metadata: Readonly<Record<string, string>> = {},
  ): Promise<Buffer> {
    let answer: Buffer | undefined;
    for await (const m of this.call(path, request, metadata)) answer ??= Buffer.from(m);
    if (!answer) throw new GrpcError(2, `${path}: no answer`, { protocol: true });
    return answer;
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
  }
}
