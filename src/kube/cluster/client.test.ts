import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ansiServer,
  connectProxy,
  echoCredentialsServer,
  endlessServer,
  httpServer,
  silentServer,
  type TestServer,
} from '../../transport/testing/servers.js';
import { ApiClient } from './client.js';
import { collectCluster } from './collect.js';
import type { ClusterConfig, Credentials } from './kubeconfig/index.js';
import { RESOURCE_TYPES } from './resources.js';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function credentials(token?: string): Credentials {
  return {
    kinds: [token ? 'token' : 'none'],
    description: 'test',
    token: async () => token,
    basic: () => undefined,
    clientCertificate: async () => undefined,
    rejected: async () => false,
  };
}

function api(server: TestServer, opts: { token?: string; proxyUrl?: string; timeoutMs?: number } = {}) {
  const config: ClusterConfig = {
    context: 'test',
    server: server.url,
    insecureSkipTlsVerify: false,
    credentials: credentials(opts.token),
    files: [],
    ...(opts.proxyUrl ? { proxyUrl: opts.proxyUrl } : {}),
  };
  const client = new ApiClient(config, opts.timeoutMs ?? 5000, {
    env: {},
    limits: { 'api-page': 2 * 1024 * 1024 },
  });
  open.push(client);
  return client;
}

async function serve(p: Promise<TestServer>): Promise<TestServer> {
  const s = await p;
  open.push(s);
  return s;
}

const pods = RESOURCE_TYPES.filter((t) => t.kind === 'Pod');

describe('ApiClient on the shared transport', () => {
  it('sends the token from credentials.token() and reads JSON', async () => {
    const seen: (string | undefined)[] = [];
    const s = await serve(
      httpServer((req: IncomingMessage, res: ServerResponse) => {
        seen.push(req.headers.authorization);
        res.end('{"gitVersion":"v1.30.0"}');
      }),
    );
    const outcome = await api(s, { token: 'tok-abcdef123456' }).get('/version');
    expect(outcome).toEqual({ type: 'ok', status: 200, body: { gitVersion: 'v1.30.0' } });
    expect(seen).toEqual(['Bearer tok-abcdef123456']);
  });

  it('an endless list page is cut off at the cap and fails that list, not the process', async () => {
    const s = await serve(endlessServer());
    const result = await collectCluster(api(s), { types: pods, namespace: 'none' });
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ resource: 'pods', reason: 'error' });
    expect(result.failures[0]!.message).toMatch(
      /more than the 2 MiB allowed for an api page \(lower --page-size\)/,
    );
  });

  it('an endless continue chain ends at the page cap with a failure', async () => {
    let n = 0;
    const s = await serve(
      httpServer((req, res) => {
        if (req.url?.includes('/pods')) n++;
        const pod = { metadata: { name: `p${n}`, namespace: 'default' }, spec: { containers: [] } };
        res.end(JSON.stringify({ items: [pod], metadata: { continue: `page-${n}` } }));
      }),
    );
    const result = await collectCluster(api(s), { types: pods, maxPages: 5 });
    expect(n).toBe(5);
    expect(result.failures[0]!.message).toMatch(/more than 5 pages: stopped following the continue chain/);
  });

  it('pages with no items but a continue token end after three', async () => {
    let n = 0;
    const s = await serve(
      httpServer((req, res) => {
        if (req.url?.includes('/pods')) n++;
        res.end(JSON.stringify({ items: [], metadata: { continue: `empty-${n}` } }));
      }),
    );
    const result = await collectCluster(api(s), { types: pods });
    expect(n).toBe(3);
    expect(result.failures[0]!.message).toMatch(/3 pages in a row with no items/);
  });

  it('a continue token that comes back is a loop, stopped at once', async () => {
    let n = 0;
    const s = await serve(
      httpServer((req, res) => {
        if (req.url?.includes('/pods')) n++;
        res.end(JSON.stringify({ items: [], metadata: { continue: 'again' } }));
      }),
    );
    const result = await collectCluster(api(s), { types: pods });
    expect(n).toBe(2);
    expect(result.failures[0]!.message).toMatch(/the same continue token came back/);
  });

  it('a server that never answers is a timeout after --request-timeout', async () => {
    const s = await serve(silentServer());
    const outcome = await api(s, { timeoutMs: 300 }).get('/api/v1/pods');
    expect(outcome.type).toBe('timeout');
    expect(outcome).toMatchObject({ message: expect.stringMatching(/within 0\.3 s \(--request-timeout\)/) });
  });

  it('an error body that echoes the token is redacted; terminal escapes are stripped', async () => {
    const echo = await serve(echoCredentialsServer(403));
    const token = 'tok-zyxwvu987654';
    const denied = await api(echo, { token }).get('/api/v1/secrets');
    expect(denied.type).toBe('http-error');
    expect(JSON.stringify(denied)).not.toContain(token);
    const ansi = await serve(ansiServer(500));
    const broken = await api(ansi).get('/api/v1/pods');
    expect(broken).toMatchObject({ type: 'http-error', status: 500 });
    expect(JSON.stringify(broken)).not.toMatch(/\\u001b|\\u0007|[\u0000-\u001f\u009b]/);
    expect((broken as { message: string }).message).toContain('PWNED');
  });

  it("goes through the cluster's proxy-url", async () => {
    const s = await serve(httpServer((_req, res) => res.end('{"ok":true}')));
    const proxy = await serve(connectProxy());
    const outcome = await api(s, { proxyUrl: proxy.url }).get('/version');
    expect(outcome.type).toBe('ok');
    expect((proxy as unknown as { seen: string[] }).seen).toEqual([`GET ${s.url}/version`]);
  });
});

describe('collectCluster against an endpoint that is not an API server', () => {
  const notFound = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('404 page not found\n');
  };

  it('404 to every list is NOT_KUBERNETES naming the server, not one failure per list', async () => {
    const server = await serve(httpServer(notFound));
    await expect(collectCluster(api(server))).rejects.toMatchObject({
      code: 'NOT_KUBERNETES',
      message: expect.stringMatching(
        new RegExp(
          `^${server.url}: the server could not find the requested resource \\(HTTP 404 for all \\d+ lists`,
        ),
      ),
    });
  });

  it('a 404 on some lists next to lists that read is a per-list failure, as before', async () => {
    const server = await serve(
      httpServer((req, res) => {
        if (req.url?.startsWith('/api/v1/pods')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ kind: 'PodList', items: [], metadata: {} }));
        } else notFound(req, res);
      }),
    );
    const result = await collectCluster(api(server));
    expect(result.counts.Pod).toBe(0);
    expect(result.failures.length).toBeGreaterThan(0);
    expect(result.failures.every((f) => f.status === 404)).toBe(true);
  });
});
