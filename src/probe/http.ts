import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { ProbeRequest, ProbeResponse, ProbeTarget, Scheme, TlsInfo } from './types.js';

/** Bodies are read up to this size; probes need fingerprints and counts, never whole dumps. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

const ETCD_RANGE_PATHS: readonly string[] = ['/v3/kv/range', '/v3beta/kv/range'];

/** Transport failures: `closed` (refused, reset, unreachable) or `timeout`, or a TLS-level refusal. */
export class ProbeTransportError extends Error {
  constructor(
    readonly reason: 'closed' | 'timeout' | 'tls' | 'protocol',
    message: string,
  ) {
    super(message);
  }
}

export function hostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

export function urlOf(scheme: Scheme, target: ProbeTarget, path: string): string {
  return `${scheme}://${hostForUrl(target.host)}:${target.port}${path}`;
}

/** Guards the read-only promise at the last moment: GET anywhere, POST only to etcd's range call. */
export function assertReadOnly(req: ProbeRequest): void {
  if (req.method === 'GET') return;
  if (req.method === 'POST' && ETCD_RANGE_PATHS.includes(req.path)) return;
  throw new Error(`probe: refusing a non-read request ${(req as { method: string }).method} ${req.path}`);
}

function subjectText(cert: PeerCertificate): string | undefined {
  const subject = cert.subject as unknown as Record<string, string | string[]> | undefined;
  if (!subject) return undefined;
  const parts = Object.entries(subject).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * The certificate is accepted for the probe whatever it is; here we say whether it would have
 * verified: the chain against Node's CA store (`socket.authorized`) and the name against the host.
 */
function tlsInfo(socket: TLSSocket, host: string): TlsInfo {
  const cert = socket.getPeerCertificate();
  const subject = cert && Object.keys(cert).length > 0 ? subjectText(cert) : undefined;
  let reason: string | undefined;
  if (!socket.authorized) {
    const err = socket.authorizationError as unknown;
    reason = err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.message) : String(err);
  } else if (cert && Object.keys(cert).length > 0) {
    const mismatch = checkServerIdentity(host, cert);
    if (mismatch) reason = (mismatch as NodeJS.ErrnoException).code ?? mismatch.message;
  }
  return {
    used: true,
    valid: reason === undefined,
    ...(reason ? { reason } : {}),
    ...(subject ? { subject } : {}),
  };
}

function classify(err: unknown, timedOut: boolean): ProbeTransportError {
  if (timedOut) return new ProbeTransportError('timeout', 'timed out');
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const msg = e instanceof Error ? e.message : String(err);
  if (/^ERR_SSL|^EPROTO$|SSL|TLS/i.test(code) || /ssl|tls|alert/i.test(msg)) {
    return new ProbeTransportError('tls', `${code || 'TLS'}: ${msg}`);
  }
  if (code === 'HPE_INVALID_CONSTANT' || code.startsWith('HPE_')) {
    return new ProbeTransportError('protocol', `${code}: ${msg}`);
  }
  return new ProbeTransportError('closed', `${code || 'error'}: ${msg}`);
}

/** One read-only request with a hard deadline; TLS certificates are accepted but reported. */
export function send(
  scheme: Scheme,
  target: ProbeTarget,
  req: ProbeRequest,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResponse> {
  assertReadOnly(req);
  const url = urlOf(scheme, target, req.path);
  const body = req.method === 'POST' ? JSON.stringify(req.json) : undefined;
  const headers: Record<string, string> = {
    accept: req.method === 'GET' && req.accept ? req.accept : 'application/json, */*;q=0.5',
    'user-agent': 'strata-probe',
    ...(body
      ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
      : {}),
  };
  const servername = isIP(target.host) ? undefined : target.host;
  return new Promise((resolve, reject) => {
    let timedOut = false;
    // connect to the address that was checked, never to a second lookup of the name
    const options = {
      method: req.method,
      host: target.address ?? target.host,
      port: target.port,
      path: req.path,
      headers: { ...headers, host: `${hostForUrl(target.host)}:${target.port}` },
      agent: false as const,
      ...(signal ? { signal } : {}),
    };
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size >= MAX_BODY_BYTES) return;
        chunks.push(c);
        size += c.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        const socket = res.socket as TLSSocket | null;
        const tls: TlsInfo =
          scheme === 'https' && socket && typeof socket.getPeerCertificate === 'function'
            ? tlsInfo(socket, target.host)
            : { used: false };
        resolve({
          url,
          method: req.method,
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'),
          tls,
        });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(classify(err, timedOut));
      });
    };
    const request =
      scheme === 'https'
        ? https.request(
            { ...options, rejectUnauthorized: false, ...(servername ? { servername } : {}) },
            onResponse,
          )
        : http.request(options, onResponse);
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(new Error('timed out'));
    }, timeoutMs);
    request.on('error', (err) => {
      clearTimeout(timer);
      reject(classify(err, timedOut));
    });
    request.end(body);
  });
}
