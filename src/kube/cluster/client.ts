import http from 'node:http';
import https from 'node:https';
import type { ClusterConfig } from './kubeconfig.js';

export type FetchOutcome =
  | { readonly type: 'ok'; readonly status: number; readonly body: unknown }
  | { readonly type: 'http-error'; readonly status: number; readonly message: string }
  | { readonly type: 'timeout'; readonly message: string }
  | { readonly type: 'network'; readonly message: string };

/** A minimal read-only API client: GET with the kubeconfig's credentials and a hard deadline. */
export class ApiClient {
  private readonly agent: http.Agent;

  constructor(
    readonly config: ClusterConfig,
    readonly timeoutMs: number,
  ) {
    const tls = config.server.startsWith('https:');
    const auth = config.auth;
    this.agent = tls
      ? new https.Agent({
          keepAlive: true,
          maxSockets: 8,
          rejectUnauthorized: !config.insecureSkipTlsVerify,
          ...(config.ca ? { ca: config.ca } : {}),
          ...(config.tlsServerName ? { servername: config.tlsServerName } : {}),
          ...(auth.type === 'client-cert' ? { cert: auth.cert, key: auth.key } : {}),
        })
      : new http.Agent({ keepAlive: true, maxSockets: 8 });
  }

  url(path: string): string {
    return `${this.config.server}${path}`;
  }

  private headers(accept: string): Record<string, string> {
    const auth = this.config.auth;
    const h: Record<string, string> = { accept, 'user-agent': 'strata-k8s' };
    if (auth.type === 'token') h.authorization = `Bearer ${auth.token}`;
    if (auth.type === 'basic') {
      h.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    }
    return h;
  }

  get(path: string, accept = 'application/json'): Promise<FetchOutcome> {
    const url = this.url(path);
    const lib = url.startsWith('https:') ? https : http;
    return new Promise((resolve) => {
      let settled = false;
      const done = (o: FetchOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(o);
      };
      const req = lib.get(url, { agent: this.agent, headers: this.headers(accept) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => done({ type: 'network', message: err.message }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          if (status >= 200 && status < 300 && body !== undefined) {
            done({ type: 'ok', status, body });
            return;
          }
          const msg =
            typeof body === 'object' &&
            body !== null &&
            typeof (body as { message?: unknown }).message === 'string'
              ? (body as { message: string }).message
              : text.slice(0, 200) || `HTTP ${status}`;
          done({
            type: 'http-error',
            status,
            message: status >= 200 && status < 300 ? 'response is not JSON' : msg,
          });
        });
      });
      const timer = setTimeout(() => {
        req.destroy();
        done({ type: 'timeout', message: `no answer within ${this.timeoutMs} ms` });
      }, this.timeoutMs);
      req.on('error', (err) => done({ type: 'network', message: err.message }));
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
