import http from 'node:http';
import https from 'node:https';
import { ClusterError } from './errors.js';
import type { ClientCertificate, ClusterConfig } from './kubeconfig/index.js';

export type FetchOutcome =
  | { readonly type: 'ok'; readonly status: number; readonly body: unknown }
  | { readonly type: 'http-error'; readonly status: number; readonly message: string }
  | { readonly type: 'timeout'; readonly message: string }
  | { readonly type: 'network'; readonly message: string };

/** A minimal read-only API client: GET with the kubeconfig's credentials and a hard deadline. */
export class ApiClient {
  private agent: http.Agent | undefined;
  private agentCert: ClientCertificate | undefined;
  /** agents of client certificates an exec plugin has since replaced, closed with the client */
  private readonly retired: http.Agent[] = [];

  constructor(
    readonly config: ClusterConfig,
    readonly timeoutMs: number,
  ) {
    // node:https has no proxy support; the undici transport takes `proxyUrl` (never go direct silently)
    if (config.proxyUrl) {
      throw new ClusterError(
        'UNSUPPORTED',
        `${config.context}: the cluster's proxy-url is not supported yet`,
      );
    }
  }

  /** The agent for the current client certificate (an exec plugin may hand out a new one). */
  private async agentFor(): Promise<http.Agent> {
    const config = this.config;
    if (!config.server.startsWith('https:')) {
      this.agent ??= new http.Agent({ keepAlive: true, maxSockets: 8 });
      return this.agent;
    }
    const cert = await config.credentials.clientCertificate();
    if (this.agent && this.agentCert === cert) return this.agent;
    if (this.agent) this.retired.push(this.agent);
    this.agentCert = cert;
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      rejectUnauthorized: !config.insecureSkipTlsVerify,
      ...(config.ca ? { ca: config.ca } : {}),
      ...(config.tlsServerName ? { servername: config.tlsServerName } : {}),
      ...(cert ? { cert: cert.cert, key: cert.key } : {}),
    });
    return this.agent;
  }

  url(path: string): string {
    return `${this.config.server}${path}`;
  }

  /** Headers with a fresh credential (a tokenFile re-read, an expired exec credential renewed). */
  private async headers(accept: string): Promise<{ headers: Record<string, string>; token?: string }> {
    const credentials = this.config.credentials;
    const h: Record<string, string> = { accept, 'user-agent': 'strata-k8s' };
    const token = await credentials.token();
    const basic = credentials.basic();
    if (token) h.authorization = `Bearer ${token}`;
    else if (basic) {
      h.authorization = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
    }
    return { headers: h, ...(token ? { token } : {}) };
  }

  /** GET once more after a 401 when the credentials can be renewed (an exec plugin re-run). */
  async get(path: string, accept = 'application/json'): Promise<FetchOutcome> {
    const first = await this.attempt(path, accept);
    const refused = first.outcome.type === 'http-error' && first.outcome.status === 401;
    if (refused && (await this.config.credentials.rejected(first.token))) {
      return (await this.attempt(path, accept)).outcome;
    }
    return first.outcome;
  }

  private async attempt(path: string, accept: string): Promise<{ outcome: FetchOutcome; token?: string }> {
    const { headers, token } = await this.headers(accept);
    const agent = await this.agentFor();
    return { outcome: await this.request(path, agent, headers), ...(token ? { token } : {}) };
  }

  private request(path: string, agent: http.Agent, headers: Record<string, string>): Promise<FetchOutcome> {
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
      const req = lib.get(url, { agent, headers }, (res) => {
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
    this.agent?.destroy();
    for (const agent of this.retired) agent.destroy();
  }
}
