import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../../core/index.js';
import { KeyPairWatcher, readKeyPair } from '../../tls/index.js';
import { AdmissionError } from '../errors.js';
import type { AdmissionPolicy } from '../policy/types.js';
import { parseAdmissionReview } from '../review/parse.js';
import { type ReviewDeps, reviewAdmission } from '../review/review.js';
import { readBody } from './body.js';
import { AdmissionMetrics, kindLabel } from './metrics.js';

/** The API server sends at most ~3 MiB objects; object and oldObject together stay well under this. */
export const MAX_REVIEW_BYTES = 8 * 1024 * 1024;
/** How much of a refused body is read and discarded before the connection is cut. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export interface AdmissionServerOptions {
  readonly policy: AdmissionPolicy;
  readonly deps: Omit<ReviewDeps, 'onTimeout'>;
  readonly certFile: string;
  readonly keyFile: string;
  readonly address?: string;
  readonly port?: number;
  readonly maxBodyBytes?: number;
  readonly metrics?: AdmissionMetrics;
  /** how often the certificate files are polled (tests shorten it) */
  readonly certPollMs?: number;
  /** one line per event worth logging (certificate reloads, internal errors) */
  readonly log?: (line: string) => void;
}

/**
 * Discards the rest of a request body; false when more than `maxBytes` follow (the caller cuts the
 * connection). Time is bounded by the server's requestTimeout, which covers the whole request.
 */
function drained(req: IncomingMessage, maxBytes: number): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  return new Promise((resolve) => {
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) resolve(false);
    });
    req.on('end', () => resolve(true));
    req.on('close', () => resolve(req.complete));
    req.resume();
  });
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * `strata admission serve`: HTTPS, POST /validate and /mutate (AdmissionReview v1), GET /healthz,
 * /readyz, /metrics. Stateless apart from caches, so replicas scale out; certificates are reloaded
 * when their files change; no input can crash it (bad bodies are 400, big ones 413).
 */
export class AdmissionServer {
  readonly metrics: AdmissionMetrics;
  private readonly server: Server;
  private readonly watcher: KeyPairWatcher;
  private readonly deps: ReviewDeps;
  private readonly log: (line: string) => void;
  private closing = false;

  constructor(private readonly options: AdmissionServerOptions) {
    this.metrics = options.metrics ?? new AdmissionMetrics();
    this.log = options.log ?? (() => undefined);
    this.deps = { ...options.deps, onTimeout: () => this.metrics.timeouts.inc() };
    const pair = readKeyPair(options.certFile, options.keyFile);
    this.server = createServer({ ...pair, minVersion: 'TLSv1.2' }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.log(`internal error: ${errorMessage(err)}`);
        send(res, 500, 'internal error\n');
      });
    });
    this.server.requestTimeout = 60_000;
    this.server.headersTimeout = 20_000;
    this.server.on('clientError', (_err, socket) => socket.destroy());
    this.server.on('tlsClientError', () => undefined);
    this.watcher = new KeyPairWatcher(
      options.certFile,
      options.keyFile,
      pair,
      (next) => {
        this.server.setSecureContext({ ...next, minVersion: 'TLSv1.2' });
        this.metrics.certReloads.inc({ result: 'ok' });
        this.log('TLS certificate reloaded');
      },
      (message) => {
        this.metrics.certReloads.inc({ result: 'error' });
        this.log(`TLS certificate not reloaded: ${message}`);
      },
      options.certPollMs,
    );
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 8443, this.options.address ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Re-reads the certificate files now (tests; the watcher does it on change). */
  reloadCertificates(): void {
    this.watcher.check();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.watcher.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/healthz') return send(res, 200, 'ok\n');
      if (path === '/readyz')
        return send(res, this.closing ? 503 : 200, this.closing ? 'shutting down\n' : 'ok\n');
      if (path === '/metrics') return send(res, 200, await this.metrics.render(), this.metrics.contentType);
    }
    if (path !== '/validate' && path !== '/mutate') {
      this.metrics.rejected.inc({ reason: 'not-found' });
      return send(res, 404, `not found: ${req.method} ${path}\n`);
    }
    if (req.method !== 'POST') {
      this.metrics.rejected.inc({ reason: 'method' });
      res.setHeader('allow', 'POST');
      return send(res, 405, `${path} takes POST with an AdmissionReview\n`);
    }
    const started = process.hrtime.bigint();
    const limit = this.options.maxBodyBytes ?? MAX_REVIEW_BYTES;
    const body = await readBody(req, limit);
    if (body.type === 'aborted') return;
    if (body.type === 'too-large') {
      this.metrics.rejected.inc({ reason: 'too-large' });
      // answer once the client has sent the rest (discarded), so it reads the 413 instead of a
      // reset; one that sends 64 MiB more is cut off
      if (!(await drained(req, MAX_DRAIN_BYTES))) return void req.destroy();
      return send(res, 413, `request body over ${limit} bytes\n`);
    }
    const endpoint = path.slice(1);
    let review: ReturnType<typeof parseAdmissionReview>;
    try {
      review = parseAdmissionReview(body.text, 'request body');
    } catch (err) {
      if (!(err instanceof AdmissionError)) throw err;
      this.metrics.rejected.inc({ reason: 'malformed' });
      return send(res, 400, `${err.message}\n`);
    }
    const outcome = await reviewAdmission(review, this.options.policy, this.deps, {
      mutate: endpoint === 'mutate',
    });
    this.metrics.requests.inc({ decision: outcome.decision, endpoint, kind: kindLabel(outcome.kind) });
    this.metrics.latency.observe(Number(process.hrtime.bigint() - started) / 1e9);
    send(res, 200, JSON.stringify(outcome.review), 'application/json');
  }
}
