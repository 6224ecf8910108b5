import { pipeline, type Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { setFlagsFromString } from 'node:v8';
import type { Agent, Dispatcher, ProxyAgent } from 'undici';
import { BodyGuard } from './body-guard.js';
import { TransportError } from './errors.js';
import { describeRequest, mapTransportError, type RequestContext, requestError } from './errors-map.js';
import { type BodyKind, formatBytes, type Limits, limitsWith } from './limits.js';
import { proxyFromEnv } from './proxy.js';
import { redactUrl, registerAuthorization, registerSecret } from './redact.js';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableNetworkError,
  parseRetryAfter,
  RETRY_STATUSES,
  type RetryPolicy,
} from './retry.js';
import { seconds, TIMEOUT_ENV, type Timeouts, timeoutsFromEnv } from './timeouts.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface TlsOptions {
  /** trusted CA certificates (PEM) instead of the system roots (a kubeconfig's certificate-authority) */
  readonly ca?: string | Buffer;
  /** CA certificates trusted in addition to the system roots (a private registry's CA) */
  readonly extraCa?: string | Buffer;
  /** client certificate and key (PEM) */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly insecureSkipVerify?: boolean;
  /** the name the server certificate must carry, when not the URL's host */
  readonly servername?: string;
}

export interface HttpClientOptions {
  readonly tls?: TlsOptions;
  /** defaults: timeoutsFromEnv() */
  readonly timeouts?: Partial<Timeouts>;
  /** a proxy for every request (a kubeconfig cluster's proxy-url), instead of HTTPS_PROXY/HTTP_PROXY */
  readonly proxyUrl?: string;
  /** where proxy and timeout variables are read (tests) */
  readonly env?: NodeJS.ProcessEnv;
  readonly retry?: Partial<RetryPolicy>;
  /** body caps per kind (defaults: DEFAULT_LIMITS) */
  readonly limits?: Partial<Record<BodyKind, number>>;
  readonly userAgent?: string;
  /** ends every request of this client (cancellation, a command's --timeout) */
  readonly signal?: AbortSignal;
  readonly maxRedirects?: number;
  /** connect to this unix socket instead of the URL's host (a container engine's API); no proxy */
  readonly socketPath?: string;
}

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  /** what the body is; its cap applies (and documents get the per-request deadline) */
  readonly kind: BodyKind;
  readonly signal?: AbortSignal;
  /** the deadline for the whole exchange (retries and body); 0 for none. Default: documents only */
  readonly deadlineMs?: number;
  /** the option that set the deadline, named in the error (default STRATA_REQUEST_DEADLINE) */
  readonly deadlineOption?: string;
  /** retry 408/429/5xx and broken connections; default: GET, HEAD, PUT, DELETE */
  readonly retry?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** the URL that answered (after redirects) */
  readonly url: URL;
  readonly method: HttpMethod;
  /**
   * The body, capped at its kind's limit, failing with TransportError. Read it, or destroy it
   * (`discard`) to give the connection up; a body left alone holds its socket.
   */
  readonly body: Readable;
}

/** Kinds streamed at length (a layer, an export): no per-request deadline, the command's applies. */
const STREAMED: ReadonlySet<BodyKind> = new Set(['blob', 'advisory-export']);
const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Raw {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly url: URL;
  readonly method: HttpMethod;
  readonly body: Readable;
}

export function header(res: { headers: HttpResponse['headers'] }, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * Strata's one HTTP client (undici): TLS options, connect and idle timeouts, a deadline per
 * operation, body caps per kind enforced while streaming, retries with backoff and Retry-After,
 * HTTPS_PROXY/HTTP_PROXY/NO_PROXY or an explicit proxy, redirects that never carry credentials
 * to another origin, and errors that name the redacted URL and never a credential.
 */
export class HttpClient {
  readonly timeouts: Timeouts;
  readonly limits: Limits;
  private readonly policy: RetryPolicy;
  private readonly env: NodeJS.ProcessEnv;
  private direct: Agent | undefined;
  private readonly proxies = new Map<string, ProxyAgent>();

  constructor(private readonly options: HttpClientOptions = {}) {
    assertWasmMemory();
    this.env = options.env ?? process.env;
    this.timeouts = { ...timeoutsFromEnv(this.env), ...options.timeouts };
    this.limits = limitsWith(options.limits);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /** One operation: redirects followed, retried when safe, within its deadline. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const deadlineMs = req.deadlineMs ?? (STREAMED.has(req.kind) ? 0 : this.timeouts.deadlineMs);
    const op = new Operation(deadlineMs, req.deadlineOption ?? TIMEOUT_ENV.deadlineMs, [
      req.signal,
      this.options.signal,
    ]);
    const ctx = (url: URL): RequestContext => ({
      method: req.method,
      url,
      timeouts: this.timeouts,
      signal: op.signal,
    });
    const retry = req.retry ?? IDEMPOTENT.has(req.method);
    try {
      for (let attempt = 0; ; attempt++) {
        let raw: Raw;
        try {
          raw = await this.follow(req, op.signal);
        } catch (err) {
          const mapped = mapTransportError(err, ctx(req.url));
          if (
            !retry ||
            op.signal.aborted ||
            !isRetryableNetworkError(mapped) ||
            attempt >= this.policy.retries
          )
            throw mapped;
          await this.sleep(backoffDelay(attempt, this.policy), op.signal, ctx(req.url));
          continue;
        }
        if (retry && RETRY_STATUSES.has(raw.status) && attempt < this.policy.retries) {
          const wait = parseRetryAfter(header(raw, 'retry-after')) ?? backoffDelay(attempt, this.policy);
          if (wait <= this.policy.maxRetryAfterMs) {
            drop(raw.body);
            await this.sleep(wait, op.signal, ctx(raw.url));
            continue;
          }
        }
        return this.guard(raw, req.kind, op, ctx(raw.url));
      }
    } catch (err) {
      op.done();
      throw err;
    }
  }

  /** Closes every connection (the client is not used again). */
  async close(): Promise<void> {
    const all = [this.direct, ...this.proxies.values()].filter((d): d is Agent | ProxyAgent => !!d);
    this.direct = undefined;
    this.proxies.clear();
    await Promise.all(all.map((d) => d.destroy().catch(() => undefined)));
  }

  private async sleep(ms: number, signal: AbortSignal, ctx: RequestContext): Promise<void> {
    try {
      await this.policy.sleep(ms, signal);
    } catch (err) {
      throw mapTransportError(err, ctx);
    }
  }

  private guard(raw: Raw, kind: BodyKind, op: Operation, ctx: RequestContext): HttpResponse {
    const cap = this.limits[kind];
    const tooLarge = (declared?: number) =>
      requestError(
        ctx,
        'TOO_LARGE',
        `${declared !== undefined ? `${declared} bytes are` : 'the response is'} more than the ${formatBytes(cap)} allowed for ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind.replace('-', ' ')}`,
      );
    const declared = Number(header(raw, 'content-length'));
    if (raw.method !== 'HEAD' && Number.isFinite(declared) && declared > cap) {
      drop(raw.body);
      throw tooLarge(declared);
    }
    const body = new BodyGuard(
      cap,
      () => tooLarge(),
      (err) => mapTransportError(err, ctx),
      () => op.done(),
    );
    pipeline(raw.body, body, () => undefined);
    return { status: raw.status, headers: raw.headers, url: raw.url, method: raw.method, body };
  }

  /** Follows redirects (a blob store behind the registry); credentials stay with their origin. */
  private async follow(req: HttpRequest, signal: AbortSignal): Promise<Raw> {
    let current = { method: req.method, url: req.url, headers: { ...req.headers }, body: req.body };
    const max = this.options.maxRedirects ?? 5;
    for (let hop = 0; ; hop++) {
      const res = await this.once(current, signal);
      const location = header(res, 'location');
      if (!REDIRECTS.has(res.status) || !location) return res;
      drop(res.body);
      if (hop >= max) {
        throw requestError(
          { method: req.method, url: req.url },
          'TOO_MANY_REDIRECTS',
          `more than ${max} redirects`,
        );
      }
      const url = new URL(location, current.url);
      const headers = { ...current.headers };
      if (url.origin !== current.url.origin) {
        for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete headers[k];
      }
      const toGet =
        res.status === 303 || ((res.status === 301 || res.status === 302) && current.method === 'POST');
      current = toGet ? { method: 'GET', url, headers, body: undefined } : { ...current, url, headers };
    }
  }

  private async once(
    req: { method: HttpMethod; url: URL; headers: Record<string, string>; body: Uint8Array | undefined },
    signal: AbortSignal,
  ): Promise<Raw> {
    for (const [k, v] of Object.entries(req.headers)) {
      if (/^(proxy-)?authorization$/i.test(k)) registerAuthorization(v);
    }
    if (req.url.password) registerSecret(decodeURIComponent(req.url.password));
    const headers = { 'user-agent': this.options.userAgent ?? 'strata', ...req.headers };
    const { request } = await undici();
    const res = await request(req.url, {
      dispatcher: await this.dispatcherFor(req.url),
      method: req.method,
      headers,
      ...(req.body ? { body: Buffer.from(req.body) } : {}),
      signal,
      headersTimeout: this.timeouts.idleMs,
      bodyTimeout: this.timeouts.idleMs,
    });
    return {
      status: res.statusCode,
      headers: res.headers,
      url: req.url,
      method: req.method,
      body: res.body,
    };
  }

  private async dispatcherFor(url: URL): Promise<Dispatcher> {
    const socketPath = this.options.socketPath;
    const proxy = socketPath ? undefined : (this.options.proxyUrl ?? proxyFromEnv(url, this.env));
    const { Agent, ProxyAgent } = await undici();
    if (!proxy) {
      const connect = { ...this.connectOptions(), ...(socketPath ? { socketPath } : {}) };
      this.direct ??= new Agent({ ...this.agentTimeouts(), connect });
      return this.direct;
    }
    let agent = this.proxies.get(proxy);
    if (!agent) {
      let parsed: URL;
      try {
        parsed = new URL(proxy);
      } catch (cause) {
        throw new TransportError('INVALID_OPTION', `proxy "${redactUrl(proxy)}" is not a URL`, { cause });
      }
      if (parsed.password) registerSecret(decodeURIComponent(parsed.password));
      agent = new ProxyAgent({
        uri: proxy,
        // plain-HTTP targets are forwarded (absolute-form), https ones tunnelled (CONNECT), as curl does
        proxyTunnel: false,
        ...this.agentTimeouts(),
        requestTls: this.connectOptions(),
        proxyTls: { timeout: this.timeouts.connectMs },
      });
      this.proxies.set(proxy, agent);
    }
    return agent;
  }

  private agentTimeouts() {
    return { headersTimeout: this.timeouts.idleMs, bodyTimeout: this.timeouts.idleMs };
  }

  private connectOptions() {
    const tls = this.options.tls ?? {};
    const ca = tls.ca ?? (tls.extraCa ? [...rootCertificates, tls.extraCa.toString()] : undefined);
    return {
      timeout: this.timeouts.connectMs,
      rejectUnauthorized: !tls.insecureSkipVerify,
      ...(ca ? { ca } : {}),
      ...(tls.cert ? { cert: tls.cert } : {}),
      ...(tls.key ? { key: tls.key } : {}),
      ...(tls.servername ? { servername: tls.servername } : {}),
    };
  }
}

/** `lib: ES2023` has no WebAssembly types; this is all the check needs. */
declare const WebAssembly: { Memory: new (descriptor: { initial: number }) => unknown };

let wasmChecked = false;
let undiciModule: Promise<typeof import('undici')> | undefined;

/**
 * undici, loaded on the first request: loading it instantiates its WebAssembly HTTP parser, which
 * reserves gigabytes of address space; commands that never touch the network never pay for it
 * (and run under `ulimit -v`).
 */
function undici(): Promise<typeof import('undici')> {
  assertWasmMemory();
  undiciModule ??= import('undici');
  return undiciModule;
}

/**
 * undici parses HTTP with WebAssembly, whose memory V8 reserves with large guard regions; under a
 * tight address-space limit (`ulimit -v`) that reservation fails inside undici, out of reach of
 * any catch. Checked once, up front, so the user gets one line saying what to do.
 */
function assertWasmMemory(): void {
  if (wasmChecked) return;
  // llhttp needs a few MiB; without a maximum V8 reserves all the address space it can get for
  // the memory's growth (measured: the whole 3 GiB under `prlimit --as=3G`, so the heap then
  // cannot grow). 256 MiB of wasm pages is plenty and leaves the rest to the heap.
  setFlagsFromString('--wasm-max-mem-pages=4096');
  try {
    new WebAssembly.Memory({ initial: 1 });
    wasmChecked = true;
  } catch (cause) {
    throw new TransportError(
      'ENVIRONMENT',
      'the HTTP client cannot reserve WebAssembly memory under this address-space limit (ulimit -v): raise the limit or run node with --disable-wasm-trap-handler',
      { cause },
    );
  }
}

/** Gives a body up; undici reports a destroyed body as an AbortError nobody needs to hear. */
function drop(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** One operation's signal: the caller's signals and its own deadline timer. */
class Operation {
  private readonly controller = new AbortController();
  readonly signal: AbortSignal;
  private timer: NodeJS.Timeout | undefined;

  constructor(deadlineMs: number, option: string, signals: readonly (AbortSignal | undefined)[]) {
    const all = [this.controller.signal, ...signals.filter((s): s is AbortSignal => !!s)];
    this.signal = all.length === 1 ? this.controller.signal : AbortSignal.any(all);
    if (deadlineMs > 0) {
      this.timer = setTimeout(
        () =>
          this.controller.abort(
            new TransportError('DEADLINE', `no complete answer within ${seconds(deadlineMs)} (${option})`),
          ),
        deadlineMs,
      );
      this.timer.unref();
    }
  }

  done(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export { describeRequest };
