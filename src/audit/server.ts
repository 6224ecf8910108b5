import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import type { AuditFinding } from '../core/index.js';
import { KeyPairWatcher, readKeyPair } from '../tls/index.js';
import { AuditError } from './errors.js';
import { auditEvents } from './events.js';
import { alertFinding } from './findings.js';
import type { RuleSet } from './rule-set.js';

/** A batch larger than this is refused with 413 (kube-apiserver's default batch is 400 events). */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;

export interface AuditServerOptions {
  readonly rules: RuleSet;
  readonly certFile: string;
  readonly keyFile: string;
  readonly address: string;
  readonly port: number;
  readonly onFinding: (finding: AuditFinding) => void;
  readonly log: (line: string) => void;
  readonly maxBatchBytes?: number;
  /** how often the certificate files are polled besides watching them (tests shorten it) */
  readonly certPollMs?: number;
}

/** What `GET /metrics` serves. */
class AuditMetrics {
  readonly registry = new Registry();
  readonly batches = new Counter({
    name: 'strata_audit_batches_total',
    help: 'audit webhook batches, by result (ok, bad-request, too-large)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: 'strata_audit_events_total',
    help: 'audit events evaluated',
    registers: [this.registry],
  });
  /** alerts forwarded by `--forward`, by outcome (counted by the caller that owns the notifier) */
  readonly forwards = new Counter({
    name: 'strata_audit_forwards_total',
    help: 'alerts forwarded to the --forward webhook, by result (delivered, failed, dropped)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly certReloads = new Counter({
    name: 'strata_audit_certificate_reloads_total',
    help: 'TLS certificate reloads, by result (ok, error)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly alerts = new Counter({
    name: 'strata_audit_alerts_total',
    help: 'alerts raised, by priority',
    labelNames: ['priority'] as const,
    registers: [this.registry],
  });
}

type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too-large' };

function readBody(req: IncomingMessage, max: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      req.resume();
      return resolve({ kind: 'too-large' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        resolve({ kind: 'too-large' });
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve({ kind: 'ok', body: Buffer.concat(chunks) }));
    req.on('error', reject);
  });
}

/**
 * kube-apiserver's audit webhook backend over HTTPS: each POST is an `audit.k8s.io/v1` EventList,
 * checked whole before any event is evaluated (a bad batch is refused with 400 and raises nothing),
 * then every event through the rules; each alert to `onFinding`. `/healthz` and `/metrics` beside it.
 */
export class AuditServer {
  readonly metrics = new AuditMetrics();
  private readonly server: Server;
  private readonly watcher: KeyPairWatcher;
  private batchNo = 0;

  /** A certificate and key that do not make a TLS context fail here (TlsError, exit 2). */
  constructor(private readonly options: AuditServerOptions) {
    const pair = readKeyPair(options.certFile, options.keyFile);
    this.server = createServer({ ...pair, minVersion: 'TLSv1.2' }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        options.log(`internal error: ${(err as Error).message}`);
        if (!res.headersSent) this.reply(res, 500, 'internal error');
      });
    });
    this.server.on('tlsClientError', () => undefined);
    // cert-manager (or any rotation) rewrites the files: new connections get the new pair
    this.watcher = new KeyPairWatcher(
      options.certFile,
      options.keyFile,
      pair,
      (next) => {
        this.server.setSecureContext({ ...next, minVersion: 'TLSv1.2' });
        this.metrics.certReloads.inc({ result: 'ok' });
        options.log('TLS certificate reloaded');
      },
      (message) => {
        this.metrics.certReloads.inc({ result: 'error' });
        options.log(`TLS certificate not reloaded: ${message}`);
      },
      options.certPollMs,
    );
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.address, () =>
        resolve(this.server.address() as AddressInfo),
      );
    });
  }

  close(): Promise<void> {
    this.watcher.close();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      // a keep-alive connection of the API server: its batch in flight gets 2 s to finish
      setTimeout(() => this.server.closeAllConnections(), 2000).unref();
    });
  }

  private reply(res: ServerResponse, status: number, message: string): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`${message}\n`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return this.reply(res, 200, 'ok');
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
      res.end(await this.metrics.registry.metrics());
      return;
    }
    if (req.method !== 'POST') return this.reply(res, 405, 'POST an audit.k8s.io/v1 EventList');
    const max = this.options.maxBatchBytes ?? MAX_BATCH_BYTES;
    const body = await readBody(req, max);
    if (body.kind === 'too-large') {
      this.metrics.batches.inc({ result: 'too-large' });
      res.setHeader('connection', 'close');
      return this.reply(res, 413, `batch larger than ${max} bytes`);
    }
    const batch = ++this.batchNo;
    const source = `webhook batch ${batch}`;
    let events: ReturnType<typeof auditEvents>;
    try {
      let value: unknown;
      try {
        value = JSON.parse(body.body.toString('utf8'));
      } catch (err) {
        throw new AuditError('INVALID_EVENT', `${source}: not JSON (${(err as Error).message})`);
      }
      events = auditEvents(value, source);
    } catch (err) {
      this.metrics.batches.inc({ result: 'bad-request' });
      const message = (err as Error).message;
      this.options.log(`refused: ${message}`);
      return this.reply(res, 400, message);
    }
    events.forEach((event, i) => {
      this.metrics.events.inc();
      for (const alert of this.options.rules.evaluate(event)) {
        this.metrics.alerts.inc({ priority: alert.level });
        this.options.onFinding(alertFinding(alert, { event, source: 'webhook', line: i + 1 }));
      }
    });
    this.metrics.batches.inc({ result: 'ok' });
    return this.reply(res, 200, 'ok');
  }
}
