import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCerts } from '../../test/support/tls.js';
import { readBody } from './body.js';
import { HttpClient, type HttpClientOptions } from './client.js';
import { TransportError } from './errors.js';
import {
  connectProxy,
  endlessServer,
  httpServer,
  silentServer,
  type TestServer,
  trickleServer,
} from './testing/servers.js';
import { operationDeadline } from './timeouts.js';

const open: { close(): Promise<unknown> | undefined }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function track<T extends { close(): Promise<unknown> | undefined }>(p: Promise<T> | T): Promise<T> {
  const s = await p;
  open.push(s);
  return s;
}

function client(opts: HttpClientOptions = {}): HttpClient {
  const c = new HttpClient({
    env: {},
    retry: { sleep: async () => undefined },
    ...opts,
  });
  open.push(c);
  return c;
}

async function failure(p: Promise<unknown>): Promise<TransportError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TransportError);
  return err as TransportError;
}

describe('HttpClient', () => {
  describe('against a server that accepts and never answers', () => {
    it('fails with IDLE_TIMEOUT after the idle timeout, naming the URL and the variable', async () => {
      const s = await track(silentServer());
      const started = Date.now();
      const err = await failure(
        client({ timeouts: { idleMs: 300 } }).request({
          method: 'GET',
          url: new URL(`${s.url}/v2/`),
          kind: 'document',
        }),
      );
      expect(err.code).toBe('IDLE_TIMEOUT');
      expect(err.message).toBe(`GET ${s.url}/v2/: no answer within 0.3 s (STRATA_IDLE_TIMEOUT)`);
      expect(Date.now() - started).toBeLessThan(3000);
    });
  });

  describe('against a server that trickles a byte at a time', () => {
    it('ends the operation at its deadline even though bytes keep coming', async () => {
      const s = await track(trickleServer(50));
      const c = client({ timeouts: { idleMs: 1000, deadlineMs: 600 } });
      const started = Date.now();
      const res = await c.request({ method: 'GET', url: new URL(s.url), kind: 'document' });
      const err = await failure(readBody(res));
      expect(err.code).toBe('DEADLINE');
      expect(err.message).toMatch(/no complete answer within 0\.6 s \(STRATA_REQUEST_DEADLINE\)/);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('ends a streamed body at the command deadline (--timeout)', async () => {
      const s = await track(trickleServer(50));
      const c = client({ signal: operationDeadline(500) });
      const res = await c.request({ method: 'GET', url: new URL(s.url), kind: 'blob' });
      const err = await failure(readBody(res));
      expect(err.code).toBe('DEADLINE');
      expect(err.message).toMatch(/did not finish within 0\.5 s \(--timeout\)/);
    });
  });

  describe('size caps', () => {
    it('cuts an endless body off at the cap of its kind', async () => {
      const s = await track(endlessServer());
      const c = client({ limits: { 'api-page': 2 * 1024 * 1024 } });
      const res = await c.request({ method: 'GET', url: new URL(`${s.url}/api/v1/pods`), kind: 'api-page' });
      const err = await failure(readBody(res));
      expect(err.code).toBe('TOO_LARGE');
      expect(err.message).toBe(
        `GET ${s.url}/api/v1/pods: the response is more than the 2 MiB allowed for an api page`,
      );
    });

    it('refuses a declared Content-Length over the cap before reading', async () => {
      const s = await track(
        httpServer((_req, res) => {
          res.writeHead(200, { 'content-length': String(5 * 1024 * 1024) });
          res.write('x');
        }),
      );
      const err = await failure(client().request({ method: 'GET', url: new URL(s.url), kind: 'manifest' }));
      expect(err.code).toBe('TOO_LARGE');
      expect(err.message).toContain('5242880 bytes are more than the 4 MiB allowed for a manifest');
    });
  });

  describe('retries', () => {
    it('retries an idempotent GET after a 503 with Retry-After, not a POST', async () => {
      let calls = 0;
      const s = await track(
        httpServer((_req, res) => {
          calls++;
          if (calls === 1) res.writeHead(503, { 'retry-after': '0' }).end();
          else res.writeHead(200).end('ok');
        }),
      );
      const c = client();
      const res = await c.request({ method: 'GET', url: new URL(s.url), kind: 'document' });
      expect([res.status, (await readBody(res)).toString(), calls]).toEqual([200, 'ok', 2]);
      calls = 0;
      const post = await c.request({ method: 'POST', url: new URL(s.url), kind: 'document' });
      expect([post.status, calls]).toEqual([503, 1]);
      post.body.destroy();
    });

    it('retries a connection reset, then reports UNREACHABLE', async () => {
      let calls = 0;
      const s = await track(
        httpServer((req) => {
          calls++;
          req.socket.destroy();
        }),
      );
      const err = await failure(
        client({ retry: { retries: 2, sleep: async () => undefined } }).request({
          method: 'GET',
          url: new URL(s.url),
          kind: 'document',
        }),
      );
      expect(err.code).toBe('UNREACHABLE');
      expect(calls).toBe(3);
    });
  });

  it('follows a redirect to another origin without the Authorization header', async () => {
    const seen: (string | undefined)[] = [];
    const store = await track(
      httpServer((req, res) => {
        seen.push(req.headers.authorization);
        res.end('blob');
      }),
    );
    const s = await track(
      httpServer((req, res) => {
        seen.push(req.headers.authorization);
        res.writeHead(307, { location: `${store.url}/data` }).end();
      }),
    );
    const c = client();
    const res = await c.request({
      method: 'GET',
      url: new URL(s.url),
      headers: { authorization: 'Bearer abcdefgh' },
      kind: 'blob',
    });
    expect((await readBody(res)).toString()).toBe('blob');
    expect(seen).toEqual(['Bearer abcdefgh', undefined]);
  });

  it('a cancelled signal ends the request with CANCELLED', async () => {
    const s = await track(silentServer());
    const ac = new AbortController();
    const p = client().request({ method: 'GET', url: new URL(s.url), kind: 'document', signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect((await failure(p)).code).toBe('CANCELLED');
  });

  it('redacts userinfo and token parameters from the URL it names', async () => {
    const s = await track(silentServer());
    const url = new URL(`http://bob:hunter2hunter2@${s.host}/t?access_token=abcdef&x=1`);
    const err = await failure(
      client({ timeouts: { idleMs: 100 } }).request({ method: 'GET', url, kind: 'token' }),
    );
    expect(err.message).toContain(`GET http://${s.host}/t?access_token=***&x=1:`);
    expect(err.message).not.toContain('hunter2');
  });

  describe('proxies', () => {
    let target: TestServer;
    beforeAll(async () => {
      target = await httpServer((req, res) => res.end(`hello ${req.url}`));
    });
    afterAll(() => target.close());

    it('sends plain-HTTP requests through HTTP_PROXY (absolute form)', async () => {
      const proxy = await track(connectProxy());
      const c = client({ env: { HTTP_PROXY: proxy.url } });
      const res = await c.request({ method: 'GET', url: new URL(`${target.url}/a`), kind: 'document' });
      expect((await readBody(res)).toString()).toBe('hello /a');
      expect(proxy.seen).toEqual([`GET ${target.url}/a`]);
    });

    it('bypasses the proxy for NO_PROXY hosts', async () => {
      const proxy = await track(connectProxy());
      const c = client({ env: { http_proxy: proxy.url, no_proxy: 'localhost,127.0.0.1' } });
      const res = await c.request({ method: 'GET', url: new URL(`${target.url}/b`), kind: 'document' });
      expect((await readBody(res)).toString()).toBe('hello /b');
      expect(proxy.seen).toEqual([]);
    });

    it('uses an explicit proxyUrl (a kubeconfig proxy-url) over the environment', async () => {
      const proxy = await track(connectProxy());
      const c = client({ env: { NO_PROXY: '*' }, proxyUrl: proxy.url });
      const res = await c.request({ method: 'GET', url: new URL(`${target.url}/c`), kind: 'document' });
      expect((await readBody(res)).toString()).toBe('hello /c');
      expect(proxy.seen).toEqual([`GET ${target.url}/c`]);
    });
  });

  describe('TLS', () => {
    let dir: string;
    let server: https.Server;
    let url: string;
    let port: number;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'strata-transport-'));
      makeTestCerts(dir, {
        ca: '/CN=strata test CA',
        server: { subject: '/CN=127.0.0.1', extensions: 'subjectAltName=IP:127.0.0.1' },
        client: { subject: '/CN=tester' },
      });
      const pem = (f: string) => readFileSync(join(dir, f));
      server = https.createServer(
        {
          cert: pem('server.pem'),
          key: pem('server.key'),
          ca: pem('ca.pem'),
          requestCert: true,
          rejectUnauthorized: false,
        },
        (req, res) => {
          const cert = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
          res.end(`client=${cert?.subject?.CN ?? 'none'}`);
        },
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
      url = `https://127.0.0.1:${port}/`;
    });
    afterAll(() => {
      server.closeAllConnections();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const pem = (f: string) => readFileSync(join(dir, f));

    it('refuses an untrusted certificate with TLS', async () => {
      const err = await failure(client().request({ method: 'GET', url: new URL(url), kind: 'document' }));
      expect(err.code).toBe('TLS');
    });

    it('trusts the given CA and presents a client certificate', async () => {
      const c = client({ tls: { ca: pem('ca.pem'), cert: pem('client.pem'), key: pem('client.key') } });
      const res = await c.request({ method: 'GET', url: new URL(url), kind: 'document' });
      expect((await readBody(res)).toString()).toBe('client=tester');
    });

    it('skips verification with insecureSkipVerify', async () => {
      const c = client({ tls: { insecureSkipVerify: true } });
      const res = await c.request({ method: 'GET', url: new URL(url), kind: 'document' });
      expect((await readBody(res)).toString()).toBe('client=none');
    });

    it('tunnels https through HTTPS_PROXY with CONNECT', async () => {
      const proxy = await track(connectProxy());
      const c = client({ env: { HTTPS_PROXY: proxy.url }, tls: { ca: pem('ca.pem') } });
      const res = await c.request({ method: 'GET', url: new URL(url), kind: 'document' });
      expect((await readBody(res)).toString()).toBe('client=none');
      expect(proxy.seen).toEqual([`CONNECT 127.0.0.1:${port}`]);
    });

    it('goes direct to an https host listed in NO_PROXY', async () => {
      const proxy = await track(connectProxy());
      const c = client({
        env: { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' },
        tls: { ca: pem('ca.pem') },
      });
      const res = await c.request({ method: 'GET', url: new URL(url), kind: 'document' });
      expect((await readBody(res)).toString()).toBe('client=none');
      expect(proxy.seen).toEqual([]);
    });
  });
});
