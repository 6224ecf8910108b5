import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImageHandle, type OpenOptions, openImage } from '../../src/image/index.js';
import {
  type BuiltImage,
  buildImage,
  type RunningRegistry,
  skopeoCopy,
  startRegistry,
} from '../support/registry.js';

const USER = { username: 'strata', password: 's3cret:with:colons' };
const CREDS = `${USER.username}:${USER.password}`;

let work: string;
let layout: string;
let image: BuiltImage;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strata-registry-auth-'));
  layout = join(work, 'layout');
  image = buildImage(layout, 'v1', {
    layers: [{ files: { 'etc/motd': 'authenticated\n' }, createdBy: 'ADD motd /etc/' }],
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function openRef(ref: string, options: OpenOptions): Promise<ImageHandle> {
  return openImage(
    { kind: 'registry', reference: ref },
    { dockerConfig: join(work, 'no-config.json'), ...options },
  );
}

async function consumeLayer(h: ImageHandle): Promise<number> {
  const content = await h.openLayer(0);
  if (content.kind !== 'tar') throw new Error('tar expected');
  let n = 0;
  for await (const c of content.stream as Readable) n += (c as Buffer).length;
  return n;
}

function dockerConfig(dir: string, host: string, auth: string): string {
  const path = join(dir, 'config.json');
  writeFileSync(
    path,
    JSON.stringify({ auths: { [`http://${host}`]: { auth: Buffer.from(auth).toString('base64') } } }),
  );
  return path;
}

describe('registry authentication', () => {
  describe('with htpasswd Basic auth over plain HTTP', () => {
    let registry: RunningRegistry;
    let ref: string;
    beforeAll(async () => {
      registry = await startRegistry({ auth: USER });
      ref = `${registry.host}/private/app:v1`;
      await skopeoCopy(`oci:${layout}:v1`, `docker://${ref}`, { destCreds: CREDS });
    });
    afterAll(() => registry?.stop());

    it('opens and streams the image with --username/--password', async () => {
      const h = await openRef(ref, { insecure: true, ...USER });
      expect(h.digest).toBe(image.manifestDigest);
      expect(await consumeLayer(h)).toBe(h.layers[0]!.size);
    });

    it('without credentials fails with UNAUTHORIZED in one line naming the reference', async () => {
      const err = await openRef(ref, { insecure: true }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'UNAUTHORIZED', userError: true });
      expect((err as Error).message).toContain(ref);
      expect((err as Error).message).not.toContain('\n');
    });

    it('with a wrong password fails with UNAUTHORIZED', async () => {
      await expect(
        openRef(ref, { insecure: true, username: USER.username, password: 'wrong' }),
      ).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    });

    it('reads credentials from a docker config.json given as an option', async () => {
      const dir = mkdtempSync(join(work, 'cfg-'));
      const h = await openRef(ref, { insecure: true, dockerConfig: dockerConfig(dir, registry.host, CREDS) });
      expect(h.digest).toBe(image.manifestDigest);
    });

    it('honours $DOCKER_CONFIG when no config path is given', async () => {
      const dir = mkdtempSync(join(work, 'env-'));
      dockerConfig(dir, registry.host, CREDS);
      const old = process.env.DOCKER_CONFIG;
      process.env.DOCKER_CONFIG = dir;
      try {
        const h = await openImage({ kind: 'registry', reference: ref }, { insecure: true });
        expect(h.digest).toBe(image.manifestDigest);
      } finally {
        if (old === undefined) delete process.env.DOCKER_CONFIG;
        else process.env.DOCKER_CONFIG = old;
      }
    });
  });

  describe('with TLS (self-signed) and Basic auth', () => {
    let registry: RunningRegistry;
    let ref: string;
    beforeAll(async () => {
      registry = await startRegistry({ auth: USER, tls: true });
      ref = `${registry.host}/private/app:v1`;
      await skopeoCopy(`oci:${layout}:v1`, `docker://${ref}`, { destCreds: CREDS });
    });
    afterAll(() => registry?.stop());

    it('verifies the certificate by default: an unknown CA is UNREACHABLE with a TLS hint', async () => {
      await expect(openRef(ref, USER)).rejects.toMatchObject({
        code: 'UNREACHABLE',
        message: expect.stringContaining('TLS failed'),
      });
    });

    it('trusts the registry with its CA file', async () => {
      const h = await openRef(ref, { ...USER, caFile: registry.caFile! });
      expect(h.digest).toBe(image.manifestDigest);
      expect(await consumeLayer(h)).toBe(h.layers[0]!.size);
    });

    it('connects with --insecure (TLS without verification)', async () => {
      const h = await openRef(ref, { ...USER, insecure: true });
      expect(h.digest).toBe(image.manifestDigest);
    });
  });

  describe('with Bearer tokens from a token service', () => {
    let registry: RunningRegistry;
    let ref: string;
    beforeAll(async () => {
      registry = await startRegistry({ auth: USER, token: { anonymousPull: true } });
      ref = `${registry.host}/team/app:v1`;
      await skopeoCopy(`oci:${layout}:v1`, `docker://${ref}`, { destCreds: CREDS });
    });
    afterAll(() => registry?.stop());

    it('pulls anonymously with a token scoped to the repository', async () => {
      const before = registry.tokenRequests!.length;
      const h = await openRef(ref, { insecure: true });
      expect(await consumeLayer(h)).toBe(h.layers[0]!.size);
      const asked = registry.tokenRequests!.slice(before);
      expect(asked).toEqual([{ scope: ['repository:team/app:pull'] }]);
    });

    it('pulls with credentials sent to the token service', async () => {
      const before = registry.tokenRequests!.length;
      const h = await openRef(ref, { insecure: true, ...USER });
      expect(h.digest).toBe(image.manifestDigest);
      expect(registry.tokenRequests!.slice(before)).toEqual([
        { scope: ['repository:team/app:pull'], user: 'strata' },
      ]);
    });

    it('bad credentials are refused by the token service: UNAUTHORIZED', async () => {
      await expect(
        openRef(ref, { insecure: true, username: 'strata', password: 'nope' }),
      ).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('refused user "strata"'),
      });
    });
  });

  describe('with Bearer tokens and no anonymous access', () => {
    let registry: RunningRegistry;
    beforeAll(async () => {
      registry = await startRegistry({ auth: USER, token: {} });
      await skopeoCopy(`oci:${layout}:v1`, `docker://${registry.host}/team/app:v1`, { destCreds: CREDS });
    });
    afterAll(() => registry?.stop());

    it('an anonymous pull is UNAUTHORIZED naming the reference', async () => {
      await expect(openRef(`${registry.host}/team/app:v1`, { insecure: true })).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining(`${registry.host}/team/app:v1`),
      });
    });
  });
});
