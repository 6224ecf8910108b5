import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionReview, podSpec, workload } from '../../src/admission/testing/reviews.js';
import { RegistryClient } from '../../src/image/index.js';
import { signImage } from '../../src/trust/index.js';
import { httpsRequest, type RunningWebhook, startWebhook } from '../support/admission.js';
import {
  buildImage,
  freePort,
  type RunningRegistry,
  skopeoCopy,
  startRegistry,
} from '../support/registry.js';
import { makeTestCerts } from '../support/tls.js';

let registry: RunningRegistry;
let webhook: RunningWebhook;
let work: string;
let ca: Buffer;
let hanging: Server;
let hangingHost: string;
const digests: Record<string, string> = {};
const team = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const CERTS = {
  ca: '/CN=strata-webhook-test-ca',
  server: {
    subject: '/CN=127.0.0.1',
    extensions: 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth',
  },
  client: { subject: '/CN=kube-apiserver' },
};

async function push(name: string, content: string): Promise<string> {
  const layout = join(work, `layout-${name.replace(/\//g, '-')}`);
  const built = buildImage(layout, 'v1', {
    layers: [{ files: { 'etc/app': content }, createdBy: `ADD ${name}` }],
  });
  await skopeoCopy(`oci:${layout}:v1`, `docker://${registry.host}/${name}:v1`);
  return built.manifestDigest;
}

function post(path: string, body: unknown) {
  return httpsRequest(`${webhook.url}${path}`, ca, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function validate(image: string, path = '/validate') {
  const res = await post(path, admissionReview({ object: workload('Pod', podSpec(image)) }));
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as {
    response: {
      allowed: boolean;
      status?: { code: number; message: string };
      patch?: string;
      patchType?: string;
      warnings?: string[];
    };
  };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-webhook-'));
  registry = await startRegistry();
  const client = new RegistryClient({ insecure: true });
  digests.app = await push('team/app', 'app v1');
  digests.plain = await push('team/plain', 'plain v1');
  digests.forged = await push('team/forged', 'forged v1');
  await signImage(`${registry.host}/team/app:v1`, { client, key: team.privateKey });
  await signImage(`${registry.host}/team/forged:v1`, { client, key: stranger.privateKey });
  // swapped tag: team/swap:v1 is signed, then the tag is pushed over with other content
  await push('team/swap', 'swap v1');
  await signImage(`${registry.host}/team/swap:v1`, { client, key: team.privateKey });
  digests.swapped = await push('team/swap', 'swapped content');
  await client.close();
  hanging = createServer(() => undefined);
  const hangPort = await freePort();
  await new Promise<void>((r) => hanging.listen(hangPort, '127.0.0.1', r));
  hangingHost = `127.0.0.1:${hangPort}`;

  mkdirSync(join(work, 'certs'));
  makeTestCerts(join(work, 'certs'), CERTS);
  ca = readFileSync(join(work, 'certs/ca.pem'));
  writeFileSync(join(work, 'team.pub'), team.publicKey.export({ format: 'pem', type: 'spki' }));
  writeFileSync(
    join(work, 'trust.yaml'),
    `policies:\n  - name: team\n    images: ["${registry.host}/team/*", "${hangingHost}/**"]\n    keys: [team.pub]\n`,
  );
  writeFileSync(
    join(work, 'policy.yaml'),
    `apiVersion: strata.dev/v1
kind: AdmissionPolicy
timeoutSeconds: 2
images:
  allowedRegistries: ["${registry.host}", "${hangingHost}"]
  pinDigests: true
  verification: trust.yaml
exemptions:
  - { images: ["${registry.host}/legacy/**"], reason: "old app", expires: "2999-01-01" }
`,
  );
  webhook = await startWebhook([
    '--policy',
    join(work, 'policy.yaml'),
    '--tls-cert',
    join(work, 'certs/server.pem'),
    '--tls-key',
    join(work, 'certs/server.key'),
  ]);
}, 120_000);

afterAll(async () => {
  await webhook?.stop();
  await registry?.stop().catch(() => undefined); // stopped by a test already
  hanging?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('strata admission serve over HTTPS (docker-registry 2.8 behind it)', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await httpsRequest(`${webhook.url}/healthz`, ca)).status).toBe(200);
    expect((await httpsRequest(`${webhook.url}/readyz`, ca)).body).toBe('ok\n');
  });

  it('allows a hardened pod whose image the team key signed (by tag: the tag is resolved and verified)', async () => {
    const r = await validate(`${registry.host}/team/app:v1`);
    expect(r.response).toMatchObject({ allowed: true });
  });

  it('denies an unsigned image, naming the policy finding', async () => {
    const r = await validate(`${registry.host}/team/plain:v1`);
    expect(r.response.allowed).toBe(false);
    expect(r.response.status?.code).toBe(403);
    expect(r.response.status?.message).toMatch(
      new RegExp(
        `^Strata denied Pod/team/web: POLICY-UNSATISFIED: policy team: no signatures found \\[${registry.host}/team/plain:v1\\]$`,
      ),
    );
  });

  it('denies an image signed by another key', async () => {
    const r = await validate(`${registry.host}/team/forged:v1`);
    expect(r.response.status?.message).toMatch(/POLICY-UNSATISFIED: policy team: no valid key signature/);
  });

  it('denies a tag that was signed and then pushed over (the signature is of the old digest)', async () => {
    const r = await validate(`${registry.host}/team/swap:v1`);
    expect(r.response.status?.message).toMatch(/POLICY-UNSATISFIED: policy team: no signatures found/);
  });

  it('denies an image from a registry outside allowedRegistries without asking any registry', async () => {
    const r = await validate('quay.io/team/app:v1');
    expect(r.response.status?.message).toBe(
      `Strata denied Pod/team/web: STRATA-ADM-001: image registry not allowed (image "quay.io/team/app:v1" is not from an allowed registry (${registry.host}, ${hangingHost}))`,
    );
  });

  it('/mutate pins the tag to the digest it resolves to, as a JSONPatch', async () => {
    const r = await validate(`${registry.host}/team/app:v1`, '/mutate');
    expect(r.response.patchType).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(r.response.patch ?? '', 'base64').toString())).toEqual([
      {
        op: 'replace',
        path: '/spec/containers/0/image',
        value: `${registry.host}/team/app:v1@${digests.app}`,
      },
    ]);
  });

  it('an exempt image pattern skips the image checks', async () => {
    const r = await validate(`${registry.host}/legacy/unsigned:v9`);
    expect(r.response.allowed).toBe(true);
  });

  it('a hanging registry never holds a request past timeoutSeconds: failurePolicy fail denies saying why', async () => {
    const started = Date.now();
    const r = await validate(`${hangingHost}/team/app:v1`);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(r.response.status?.message).toBe(
      `Strata denied Pod/team/web: STRATA-ADM-003: resolving ${hangingHost}/team/app:v1 did not finish within 2s (failurePolicy fail)`,
    );
  });

  it('refuses a malformed review with 400 and a clear message', async () => {
    const bad = await post(
      '/validate',
      '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":7}}',
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(
      /^request body: not an admission\.k8s\.io\/v1 AdmissionReview request: request\.uid: expected string, got number/,
    );
    const notJson = await post('/validate', '{');
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatch(/^request body: not valid JSON/);
  });

  it('refuses a body over the cap with 413, and wrong methods and paths', async () => {
    const big = await post('/validate', Buffer.alloc(9 * 1024 * 1024, 0x20));
    expect(big.status).toBe(413);
    expect((await httpsRequest(`${webhook.url}/validate`, ca)).status).toBe(405);
    expect((await httpsRequest(`${webhook.url}/nope`, ca)).status).toBe(404);
  });

  it('serves Prometheus metrics: requests by decision and kind, latency, timeouts', async () => {
    const m = await httpsRequest(`${webhook.url}/metrics`, ca);
    expect(m.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(m.body).toMatch(
      /^strata_admission_requests_total\{decision="deny",endpoint="validate",kind="Pod"\} [1-9]/m,
    );
    expect(m.body).toMatch(
      /^strata_admission_requests_total\{decision="allow",endpoint="mutate",kind="Pod"\} 1$/m,
    );
    expect(m.body).toMatch(/^strata_admission_request_duration_seconds_count [1-9]/m);
    expect(m.body).toMatch(/^strata_admission_check_timeouts_total 1$/m);
    expect(m.body).toMatch(/^strata_admission_bad_requests_total\{reason="malformed"\} 2$/m);
  });

  it('a stopped registry: failurePolicy fail denies within the timeout, saying why', async () => {
    await registry.stop();
    const started = Date.now();
    const r = await validate(`${registry.host}/team/other:v9`);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(r.response.status?.message).toMatch(
      new RegExp(
        `^Strata denied Pod/team/web: STRATA-ADM-003: resolving ${registry.host}/team/other:v9 (failed: .+|did not finish within 2s) \\(failurePolicy fail\\)$`,
      ),
    );
    // what was verified before is still answered from the cache
    expect((await validate(`${registry.host}/team/app:v1`)).response.allowed).toBe(true);
  });

  it('reloads its certificate when the files change (cert-manager rotation)', async () => {
    const before = (await httpsRequest(`${webhook.url}/healthz`, ca)).fingerprint;
    const next = join(work, 'next');
    mkdirSync(next);
    makeTestCerts(next, { ...CERTS, ca: '/CN=strata-webhook-test-ca-2' });
    writeFileSync(join(work, 'certs/server.key'), readFileSync(join(next, 'server.key')));
    writeFileSync(join(work, 'certs/server.pem'), readFileSync(join(next, 'server.pem')));
    const ca2 = readFileSync(join(next, 'ca.pem'));
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 200));
      after = await httpsRequest(`${webhook.url}/healthz`, ca2).then(
        (r) => r.fingerprint,
        () => before,
      );
    }
    expect(after).not.toBe(before);
    await expect(httpsRequest(`${webhook.url}/healthz`, ca)).rejects.toThrow();
  });
});
