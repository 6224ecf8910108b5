import {
  type BodyKind,
  errorText,
  HttpClient,
  type HttpResponse,
  readBody,
  TransportError,
} from '../../transport/index.js';
import type { ClientCertificate, ClusterConfig } from './kubeconfig/index.js';

export type FetchOutcome =
  | { readonly type: 'ok'; readonly status: number; readonly body: unknown }
  | { readonly type: 'http-error'; readonly status: number; readonly message: string }
  | { readonly type: 'timeout'; readonly message: string }
  | { readonly type: 'too-large'; readonly message: string }
  | { readonly type: 'network'; readonly message: string };

export interface ApiClientOptions {
  /** ends every request: the command's --timeout or a cancellation (then `get` throws) */
  readonly signal?: AbortSignal;
  /** body caps (tests lower them); default: the transport's api-page / api-object caps */
  readonly limits?: Partial<Record<BodyKind, number>>;
  /** where proxy and timeout variables are read (tests) */
  readonly env?: NodeJS.ProcessEnv;
}

const TIMEOUTS = new Set(['DEADLINE', 'IDLE_TIMEOUT', 'CONNECT_TIMEOUT']);

/**
 * A read-only API client on the shared transport: GET with the kubeconfig's credentials (a fresh
 * token from `credentials.token()` for every request), its CA, client certificate, server name and
 * proxy-url; each request within `timeoutMs` (--request-timeout), each body under its cap.
 */
export class ApiClient {
  private http: HttpClient | undefined;
  private httpCert: ClientCertificate | undefined;
  /** clients of client certificates an exec plugin has since replaced, closed with this one */
  private readonly retired: HttpClient[] = [];

  constructor(
    readonly config: ClusterConfig,
    readonly timeoutMs: number,
    private readonly options: ApiClientOptions = {},
  ) {}

  url(path: string): string {
    return `${this.config.server}${path}`;
  }

  /** GET once more after a 401 when the credentials can be renewed (an exec plugin re-run). */
  async get(path: string, accept = 'application/json', kind: BodyKind = 'api-page'): Promise<FetchOutcome> {
    const first = await this.attempt(path, accept, kind);
    const refused = first.outcome.type === 'http-error' && first.outcome.status === 401;
    if (refused && (await this.config.credentials.rejected(first.token))) {
      return (await this.attempt(path, accept, kind)).outcome;
    }
    return first.outcome;
  }

  close(): void {
    for (const c of [this.http, ...this.retired]) void c?.close();
    this.http = undefined;
    this.retired.length = 0;
  }

  /** The HTTP client for the current client certificate (an exec plugin may hand out a new one). */
  private async client(): Promise<HttpClient> {
    const config = this.config;
    const cert = config.server.startsWith('https:')
      ? await config.credentials.clientCertificate()
      : undefined;
    if (this.http && this.httpCert === cert) return this.http;
    if (this.http) this.retired.push(this.http);
    this.httpCert = cert;
    this.http = new HttpClient({
      tls: {
        insecureSkipVerify: config.insecureSkipTlsVerify,
        ...(config.ca ? { ca: config.ca } : {}),
        ...(config.tlsServerName ? { servername: config.tlsServerName } : {}),
        ...(cert ? { cert: cert.cert, key: cert.key } : {}),
      },
      ...(config.proxyUrl ? { proxyUrl: config.proxyUrl } : {}),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      ...(this.options.limits ? { limits: this.options.limits } : {}),
      ...(this.options.env ? { env: this.options.env } : {}),
      userAgent: 'strata-k8s',
    });
    return this.http;
  }

  /** Headers with a fresh credential (a tokenFile re-read, an expired exec credential renewed). */
  private async headers(accept: string): Promise<{ headers: Record<string, string>; token?: string }> {
    const credentials = this.config.credentials;
    const h: Record<string, string> = { accept };
    const token = await credentials.token();
    const basic = credentials.basic();
    if (token) h.authorization = `Bearer ${token}`;
    else if (basic) {
      h.authorization = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
    }
    return { headers: h, ...(token ? { token } : {}) };
  }

  private async attempt(
    path: string,
    accept: string,
    kind: BodyKind,
  ): Promise<{ outcome: FetchOutcome; token?: string }> {
    const { headers, token } = await this.headers(accept);
    const http = await this.client();
    let outcome: FetchOutcome;
    try {
      const res = await http.request({
        method: 'GET',
        url: new URL(this.url(path)),
        headers,
        kind,
        deadlineMs: this.timeoutMs,
        deadlineOption: '--request-timeout',
      });
      outcome = await this.outcomeOf(res);
    } catch (err) {
      outcome = this.failureOf(err, kind);
    }
    return { outcome, ...(token ? { token } : {}) };
  }

  private async outcomeOf(res: HttpResponse): Promise<FetchOutcome> {
    const status = res.status;
    if (status < 200 || status >= 300) {
      return { type: 'http-error', status, message: (await errorText(res)) || `HTTP ${status}` };
    }
    const text = (await readBody(res)).toString('utf8');
    try {
      return { type: 'ok', status, body: JSON.parse(text) as unknown };
    } catch {
      return { type: 'http-error', status, message: 'response is not JSON' };
    }
  }

  /** A failed request becomes an outcome; the command's own deadline or a cancellation ends the scan. */
  private failureOf(err: unknown, kind: BodyKind): FetchOutcome {
    if (!(err instanceof TransportError) || this.options.signal?.aborted) throw err;
    if (TIMEOUTS.has(err.code)) return { type: 'timeout', message: err.message };
    if (err.code === 'TOO_LARGE') {
      const hint = kind === 'api-page' ? ' (lower --page-size)' : '';
      return { type: 'too-large', message: `${err.message}${hint}` };
    }
    if (err.code === 'CANCELLED' || err.code === 'INVALID_OPTION' || err.code === 'ENVIRONMENT') throw err;
    return { type: 'network', message: err.message };
  }
}
