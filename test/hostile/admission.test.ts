import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionReview, podSpec, workload } from '../../src/admission/testing/reviews.js';
import { httpsRequest, type RunningWebhook, startWebhook } from '../support/admission.js';
import { expectCleanEnd, strataHostile } from '../support/hostile.js';
import { makeTestCerts } from '../support/tls.js';

/**
 * Hostile AdmissionReviews: `admission review` ends with exit 0 or 2 within the hostile caps, and
 * `admission serve` answers every one (200, 400 or 413) and is still healthy afterwards.
 */
let work: string;
let webhook: RunningWebhook;
let ca: Buffer;

const review = (object: unknown) => {
  const r = admissionReview();
  return JSON.stringify({ ...r, request: { ...r.request, object } });
};
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const many = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));

const CASES: readonly (readonly [string, () => string])[] = [
  [
    'an object nested 100 000 deep',
    () =>
      review({ metadata: { name: 'x' }, spec: JSON.parse('{"a":0}'), deep: '' }).replace(
        '"deep":""',
        `"deep":${deep(100_000)}`,
      ),
  ],
  [
    'an array of 100 000 nested objects as the spec',
    () =>
      review({ metadata: { name: 'x' } }).replace(
        '"metadata"',
        `"spec":${'{"s":'.repeat(50_000)}0${'}'.repeat(50_000)},"metadata"`,
      ),
  ],
  [
    '20 000 privileged containers',
    () =>
      review(
        workload('Pod', {
          containers: many(20_000, (i) => ({
            name: `c${i}`,
            image: `i${i}`,
            securityContext: { privileged: true },
          })),
        }),
      ),
  ],
  [
    '5 000 distinct images not in any allowed registry',
    () =>
      review(
        workload('Pod', { containers: many(5_000, (i) => ({ name: `c${i}`, image: `quay.io/x/y${i}:1` })) }),
      ),
  ],
  [
    'containers that are not containers',
    () =>
      review(
        workload('Pod', {
          containers: [1, 'x', null, [], { image: 7, securityContext: 'root' }],
          initContainers: { a: 1 },
          volumes: 'all',
        }),
      ),
  ],
  [
    'a spec that is a string',
    () => review({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: 'privileged' }),
  ],
  [
    '__proto__ and constructor keys',
    () =>
      review(workload('Pod', podSpec())).replace(
        '"metadata":{',
        '"metadata":{"__proto__":{"namespace":"kube-system"},"constructor":{"prototype":{"polluted":1}},',
      ),
  ],
  ['a 1 MB image name', () => review(workload('Pod', podSpec(`${'a'.repeat(1_000_000)}:1`)))],
  [
    'an uid of control characters',
    () =>
      JSON.stringify({
        ...admissionReview(),
        request: { ...admissionReview().request, uid: '\u001b[2J\u0000'.repeat(20) },
      }),
  ],
  [
    'a request that is an array',
    () => '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":[]}',
  ],
  ['9 MiB of whitespace', () => ' '.repeat(9 * 1024 * 1024)],
];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-hostile-admission-'));
  writeFileSync(join(work, 'policy.yaml'), 'images: { allowedRegistries: ["127.0.0.1:5000"] }\n');
  mkdirSync(join(work, 'certs'));
  makeTestCerts(join(work, 'certs'), {
    ca: '/CN=hostile-ca',
    server: { subject: '/CN=127.0.0.1', extensions: 'subjectAltName=IP:127.0.0.1' },
    client: { subject: '/CN=client' },
  });
  ca = readFileSync(join(work, 'certs/ca.pem'));
  webhook = await startWebhook([
    '--policy',
    join(work, 'policy.yaml'),
    '--tls-cert',
    join(work, 'certs/server.pem'),
    '--tls-key',
    join(work, 'certs/server.key'),
  ]);
}, 60_000);

afterAll(async () => {
  await webhook?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('strata admission review on hostile input', () => {
  it.each(CASES)('%s: exit 0 or 2, within the caps', async (_name, make) => {
    const file = join(work, 'review.json');
    writeFileSync(file, make());
    const r = await strataHostile(['admission', 'review', '--policy', join(work, 'policy.yaml'), file], {
      timeoutMs: 60_000,
    });
    expectCleanEnd(r);
    if (r.code === 0) {
      const out = JSON.parse(r.stdout) as { response: { status?: { message: string } } };
      expect(out.response.status?.message.length ?? 0).toBeLessThan(34 * 1024);
    }
  });
});

describe('strata admission serve on hostile input', () => {
  it.each(CASES)('%s: answered with 200, 400 or 413', async (_name, make) => {
    const res = await httpsRequest(`${webhook.url}/validate`, ca, { method: 'POST', body: make() });
    expect([200, 400, 413]).toContain(res.status);
    expect((await httpsRequest(`${webhook.url}/healthz`, ca)).status).toBe(200);
  });

  it('is still healthy after all of them at once', async () => {
    const answers = await Promise.all(
      CASES.map(([, make]) => httpsRequest(`${webhook.url}/validate`, ca, { method: 'POST', body: make() })),
    );
    for (const a of answers) expect([200, 400, 413]).toContain(a.status);
    expect((await httpsRequest(`${webhook.url}/healthz`, ca)).status).toBe(200);
    expect(webhook.stderr()).not.toMatch(/internal error/);
  });
});
