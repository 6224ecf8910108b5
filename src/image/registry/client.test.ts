import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { MEDIA_TYPES } from '../media-types.js';
import { parseReference } from '../reference.js';
import { RegistryClient, type RegistryClientOptions } from './client.js';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A registry double on 127.0.0.1 that records what it was asked. */
async function serve(
  handler: Handler,
  bind = '127.0.0.1',
): Promise<{ host: string; seen: { url: string; auth?: string }[] }> {
  const seen: { url: string; auth?: string }[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({
      url: req.url ?? '',
      ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
    });
    handler(req, res, url);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, bind, r));
  const name = bind.includes(':') ? `[${bind}]` : bind;
  return { host: `${name}:${(server.address() as AddressInfo).port}`, seen };
}

const manifest = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: `sha256:${'0'.repeat(64)}`, size: 2 },
    layers: [],
  }),
);
const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function sendManifest(res: ServerResponse, body = manifest, digest = sha(body)): void {
  res.writeHead(200, { 'content-type': MEDIA_TYPES.ociManifest, 'docker-content-digest': digest });
  res.end(body);
}

function client(opts: RegistryClientOptions = {}, sleeps: number[] = []): RegistryClient {
  return new RegistryClient({
    insecure: true,
    dockerConfig: '/nonexistent/config.json',
    retryPolicy: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
    ...opts,
  });
}

async function consume(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('RegistryClient against a registry double', () => {
  describe('retries', () => {
    it('waits as long as Retry-After says after a 429, then succeeds', async () => {
      let calls = 0;
      const { host } = await serve((_req, res) => {
        if (++calls === 1) {
          res.writeHead(429, { 'retry-after': '2' }).end();
          return;
        }
        sendManifest(res);
      });
      const sleeps: number[] = [];
      const got = await client({}, sleeps).getManifest(parseReference(`${host}/app:1`));
      expect(got.digest).toBe(sha(manifest));
      expect(calls).toBe(2);
      expect(sleeps).toEqual([2000]);
    });

    it('really sleeps for a short Retry-After (no injected clock)', async () => {
      let calls = 0;
      const { host } = await serve((_req, res) => {
        if (++calls === 1) res.writeHead(429, { 'retry-after': '1' }).end();
        else sendManifest(res);
      });
      const started = Date.now();
      await new RegistryClient({ insecure: true, dockerConfig: '/nonexistent' }).getManifest(
        parseReference(`${host}/app:1`),
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    });

    it('backs off exponentially on 5xx and on connection resets', async () => {
      let calls = 0;
      const { host } = await serve((req, res) => {
        calls++;
        if (calls === 1) req.socket.destroy();
        else if (calls <= 3) res.writeHead(503).end();
        else sendManifest(res);
      });
      const sleeps: number[] = [];
      await client({
        retryPolicy: { baseDelayMs: 100, sleep: async (ms) => void sleeps.push(ms) },
      }).getManifest(parseReference(`${host}/app:1`));
      expect(calls).toBe(4);
      expect(sleeps).toHaveLength(3);
      sleeps.forEach((ms, i) => {
        expect(ms).toBeGreaterThanOrEqual(0.75 * 100 * 2 ** i);
        expect(ms).toBeLessThanOrEqual(100 * 2 ** i);
      });
    });

    it('gives up after the bounded number of retries', async () => {
      let calls = 0;
      const { host } = await serve((_req, res) => {
        calls++;
        res.writeHead(500).end();
      });
      await expect(client({ retries: 2 }).getManifest(parseReference(`${host}/app:1`))).rejects.toMatchObject(
        {
          code: 'REGISTRY_ERROR',
        },
      );
      expect(calls).toBe(3);
    });

    it('does not wait for a Retry-After beyond the limit: TOO_MANY_REQUESTS', async () => {
      const { host } = await serve((_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
      const sleeps: number[] = [];
      await expect(client({}, sleeps).getManifest(parseReference(`${host}/app:1`))).rejects.toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        message: expect.stringContaining(`${host}/app:1`),
      });
      expect(sleeps).toEqual([]);
    });
  });

  describe('authentication', () => {
    async function tokenRegistry(accept: (auth: string | undefined) => boolean) {
      let tokenCalls = 0;
      const token = await serve((req, res, url) => {
        tokenCalls++;
        if (!accept(req.headers.authorization)) {
          res.writeHead(401).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        const key = tokenCalls % 2 ? 'token' : 'access_token';
        res.end(JSON.stringify({ [key]: `tok-${url.searchParams.get('scope')}`, expires_in: 300 }));
      });
      const registry = await serve((req, res, url) => {
        const scope = `repository:${url.pathname.split('/').slice(2, -2).join('/')}:pull`;
        if (req.headers.authorization !== `Bearer tok-${scope}`) {
          res.writeHead(401, {
            'www-authenticate': `Bearer realm="http://${token.host}/token",service="double",scope="${scope}"`,
          });
          res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
          return;
        }
        sendManifest(res);
      });
      return { registry, token, tokenCalls: () => tokenCalls };
    }

    it('answers a Bearer challenge anonymously and reuses the token', async () => {
      const { registry, token, tokenCalls } = await tokenRegistry((auth) => auth === undefined);
      const c = client();
      await c.getManifest(parseReference(`${registry.host}/team/app:1`));
      await c.getManifest(parseReference(`${registry.host}/team/app:2`));
      expect(tokenCalls()).toBe(1);
      const asked = new URL(token.seen[0]!.url, 'http://x');
      expect(asked.searchParams.get('service')).toBe('double');
      expect(asked.searchParams.get('scope')).toBe('repository:team/app:pull');
      expect(registry.seen.map((s) => s.auth)).toEqual([
        undefined,
        'Bearer tok-repository:team/app:pull',
        'Bearer tok-repository:team/app:pull',
      ]);
    });

    it('sends the credentials to the token service with Basic auth', async () => {
      const basic = `Basic ${Buffer.from('me:pw').toString('base64')}`;
      const { registry } = await tokenRegistry((auth) => auth === basic);
      const got = await client({ username: 'me', password: 'pw' }).getManifest(
        parseReference(`${registry.host}/app:1`),
      );
      expect(got.mediaType).toBe(MEDIA_TYPES.ociManifest);
      await expect(client().getManifest(parseReference(`${registry.host}/app:1`))).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('refused anonymous access'),
      });
    });

    it('trades an identity token at the token service with the OAuth2 refresh_token form', async () => {
      const forms: URLSearchParams[] = [];
      const token = await serve((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => {
          body += c.toString();
        });
        req.on('end', () => {
          forms.push(new URLSearchParams(body));
          if (req.method !== 'POST') return void res.writeHead(405).end();
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"oauth-token"}');
        });
      });
      const registry = await serve((req, res) => {
        if (req.headers.authorization !== 'Bearer oauth-token') {
          res.writeHead(401, {
            'www-authenticate': `Bearer realm="http://${token.host}/oauth2/token",service="double",scope="repository:app:pull"`,
          });
          return void res.end();
        }
        sendManifest(res);
      });
      const dir = mkdtempSync(join(tmpdir(), 'strata-idtoken-'));
      try {
        const config = join(dir, 'config.json');
        writeFileSync(
          config,
          JSON.stringify({ auths: { [registry.host]: { identitytoken: 'refresh-me' } } }),
        );
        await client({ dockerConfig: config }).getManifest(parseReference(`${registry.host}/app:1`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect(Object.fromEntries(forms.at(-1)!)).toEqual({
        grant_type: 'refresh_token',
        client_id: 'strata',
        service: 'double',
        scope: 'repository:app:pull',
        refresh_token: 'refresh-me',
      });
    });

    it.each([
      [401, 'UNAUTHORIZED', 'authentication required'],
      [403, 'DENIED', 'access denied'],
      [404, 'MANIFEST_UNKNOWN', 'manifest unknown'],
    ])('a final %d is %s in one line naming the reference', async (status, code, text) => {
      const { host } = await serve((_req, res) => res.writeHead(status).end());
      const err = await client()
        .getManifest(parseReference(`${host}/app:1`))
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code, message: expect.stringContaining(`${host}/app:1: ${text}`) });
      expect((err as Error).message).not.toContain('\n');
    });
  });

  describe('manifests', () => {
    it('refuses bytes that do not match Docker-Content-Digest', async () => {
      const { host } = await serve((_req, res) => sendManifest(res, manifest, sha('other')));
      await expect(client().getManifest(parseReference(`${host}/app:1`))).rejects.toMatchObject({
        code: 'DIGEST_MISMATCH',
      });
    });

    it('refuses bytes that do not match the pinned digest', async () => {
      const { host } = await serve((_req, res) => sendManifest(res, manifest, 'garbage'));
      const pinned = parseReference(`${host}/app@${sha('other')}`);
      await expect(client().getManifest(pinned)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    });

    it('refuses a manifest larger than 4 MiB', async () => {
      const big = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
      const { host } = await serve((_req, res) => sendManifest(res, big));
      await expect(client().getManifest(parseReference(`${host}/app:1`))).rejects.toMatchObject({
        code: 'TOO_LARGE',
      });
    });
  });

  describe('blobs', () => {
    const blob = Buffer.from('layer bytes '.repeat(1000));

    it('follows a redirect to a blob store without leaking the Authorization header', async () => {
      const store = await serve((_req, res) => res.writeHead(200).end(blob));
      const registry = await serve((req, res) => {
        if (!req.headers.authorization) {
          res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
          return;
        }
        res.writeHead(307, { location: `http://${store.host}/data?sig=1` }).end();
      });
      const stream = await client({ username: 'u', password: 'p' }).getBlob(
        { registry: registry.host, repository: 'app' },
        sha(blob),
        blob.length,
      );
      expect(await consume(stream)).toEqual(blob);
      expect(store.seen).toEqual([{ url: '/data?sig=1' }]);
    });

    it('surfaces a digest mismatch on the stream, never as data that ends cleanly', async () => {
      const { host } = await serve((_req, res) => res.writeHead(200).end(Buffer.from('tampered')));
      const stream = await client().getBlob({ registry: host, repository: 'app' }, sha(blob));
      await expect(consume(stream)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    });

    it('surfaces a truncated blob as SIZE_MISMATCH', async () => {
      const { host } = await serve((_req, res) => res.writeHead(200).end(blob.subarray(0, 10)));
      const stream = await client().getBlob({ registry: host, repository: 'app' }, sha(blob), blob.length);
      await expect(consume(stream)).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
    });
  });

  describe('tags, referrers and pushes', () => {
    it('follows Link pagination for tags and sorts them', async () => {
      const { host } = await serve((_req, res, url) => {
        const last = url.searchParams.get('last');
        res.writeHead(200, {
          'content-type': 'application/json',
          ...(last ? {} : { link: '</v2/app/tags/list?n=2&last=b>; rel="next"' }),
        });
        res.end(JSON.stringify({ name: 'app', tags: last ? ['a', 'c'] : ['d', 'b'] }));
      });
      expect(await client().listTags({ registry: host, repository: 'app' })).toEqual(['a', 'b', 'c', 'd']);
    });

    it('lists the catalog across Link pages and stops at its cap (a page linking back for ever)', async () => {
      const { host, seen } = await serve((_req, res, url) => {
        if (url.pathname !== '/v2/_catalog') {
          res.writeHead(404).end();
          return;
        }
        const last = url.searchParams.get('last');
        // a hostile registry would link back to the first page for ever
        res.writeHead(200, {
          'content-type': 'application/json',
          link: `</v2/_catalog?n=2&last=${last ? 'a' : 'b'}>; rel="next"`,
        });
        res.end(JSON.stringify({ repositories: last === 'b' ? ['c', 'a'] : ['b', 'team/x'] }));
      });
      await expect(client().catalog(host, 2, 5)).rejects.toMatchObject({
        code: 'TOO_LARGE',
        message: `${host}/v2/_catalog: more than 5 repositories listed`,
      });
      expect(seen.map((s) => s.url)).toEqual([
        '/v2/_catalog?n=2',
        '/v2/_catalog?n=2&last=b',
        '/v2/_catalog?n=2&last=a',
      ]);
    });

    it('says so when a registry has no catalog', async () => {
      const { host } = await serve((_req, res) => {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"UNSUPPORTED","message":"catalog disabled"}]}');
      });
      await expect(client().catalog(host)).rejects.toMatchObject({
        message: `${host}/v2/_catalog: catalog not found [UNSUPPORTED: catalog disabled]`,
      });
    });

    it('uses the referrers API when the registry has it, filtering by artifactType', async () => {
      const sig = {
        mediaType: MEDIA_TYPES.ociManifest,
        digest: sha('s'),
        size: 1,
        artifactType: 'application/x.sig',
      };
      const sbom = {
        mediaType: MEDIA_TYPES.ociManifest,
        digest: sha('b'),
        size: 1,
        artifactType: 'application/x.sbom',
      };
      const { host, seen } = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': MEDIA_TYPES.ociIndex });
        res.end(
          JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [sig, sbom] }),
        );
      });
      const repo = { registry: host, repository: 'app' };
      expect(await client().referrers(repo, sha(manifest))).toEqual([sig, sbom]);
      // a registry that ignores the filter is filtered client-side
      expect(await client().referrers(repo, sha(manifest), 'application/x.sig')).toEqual([sig]);
      expect(seen.at(-1)?.url).toBe(`/v2/app/referrers/${sha(manifest)}?artifactType=application%2Fx.sig`);
    });

    it('skips uploading a blob the registry already has', async () => {
      const { host, seen } = await serve((req, res) =>
        res.writeHead(req.method === 'HEAD' ? 200 : 500).end(),
      );
      const d = await client().putBlob({ registry: host, repository: 'app' }, Buffer.from('x'));
      expect(d).toEqual({ mediaType: 'application/octet-stream', digest: sha('x'), size: 1 });
      expect(seen).toHaveLength(1);
    });

    it('uploads monolithically (POST, then PUT ?digest=) and keeps credentials off a foreign upload host', async () => {
      const uploads = await serve((req, res) => {
        res.writeHead(req.method === 'PUT' ? 201 : 500).end();
      });
      const { host, seen } = await serve((req, res) => {
        if (!req.headers.authorization)
          return void res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
        if (req.method === 'HEAD') return void res.writeHead(404).end();
        res.writeHead(202, { location: `http://${uploads.host}/upload/1?state=abc` }).end();
      });
      const d = await client({ username: 'u', password: 'p' }).putBlob(
        { registry: host, repository: 'app' },
        Buffer.from('x'),
      );
      expect(seen.map((s) => s.url)).toEqual([
        `/v2/app/blobs/${d.digest}`,
        `/v2/app/blobs/${d.digest}`,
        '/v2/app/blobs/uploads/',
      ]);
      expect(uploads.seen).toEqual([{ url: `/upload/1?state=abc&digest=${encodeURIComponent(d.digest)}` }]);
    });
  });

  it('an insecure registry answering plain HTTP is reached after the TLS attempt fails', async () => {
    const { host, seen } = await serve((_req, res) => sendManifest(res));
    await client().getManifest(parseReference(`${host}/app:1`));
    expect(seen).toHaveLength(1);
  });

  it('a secure client refuses plain HTTP from a host that is not loopback: UNREACHABLE naming it', async () => {
    // 127.0.0.2 routes to this machine but is not one of the loopback names that may downgrade
    const { host, seen } = await serve((_req, res) => sendManifest(res), '127.0.0.2');
    await expect(
      client({ insecure: false }).getManifest(parseReference(`${host}/app:1`)),
    ).rejects.toMatchObject({
      code: 'UNREACHABLE',
      message: expect.stringContaining(`cannot reach ${host}`),
    });
    expect(seen).toEqual([]);
  });

  it.each([
    ['127.0.0.1', (port: number) => `127.0.0.1:${port}`],
    ['127.0.0.1', (port: number) => `localhost:${port}`],
    ['::1', (port: number) => `[::1]:${port}`],
  ])('a loopback registry (%s as %s) is reached over plain HTTP without --insecure', async (bind, name) => {
    const { host, seen } = await serve((_req, res) => sendManifest(res), bind);
    const port = Number(host.slice(host.lastIndexOf(':') + 1));
    await client({ insecure: false }).getManifest(parseReference(`${name(port)}/app:1`));
    expect(seen.map((s) => s.url)).toEqual(['/v2/app/manifests/1']);
  });
});
