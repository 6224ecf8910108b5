import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionReview, podSpec, workload } from '../../src/admission/testing/reviews.js';
import { strata } from '../support/cli.js';
import { type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

// The vulnerability gate with a real scan: the demo image pushed to Debian's docker-registry, the
// demo advisories imported into a real database, and `strata admission review` asked about a pod
// that runs it. The ids the webhook names must be the ones `strata image` reports at that gate.

let work: string;
let registry: RunningRegistry;
let db: string;
let image: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-admission-vuln-'));
  registry = await startRegistry();
  image = `${registry.host}/demo/app:v1`;
  await skopeoCopy('oci-archive:examples/demo-image.tar', `docker://${image}`);
  db = join(work, 'demo.db');
  const imported = await strata(['db', 'import', 'data/demo-osv', '--db', db, '-q']);
  expect(imported.code, imported.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function review(denySeverity: string) {
  const policy = join(work, `policy-${denySeverity}.yaml`);
  writeFileSync(
    policy,
    `apiVersion: strata.dev/v1
kind: AdmissionPolicy
timeoutSeconds: 30
images:
  vulnerabilities: { denySeverity: ${denySeverity}, db: ${db} }
`,
  );
  const body = join(work, 'review.json');
  writeFileSync(body, JSON.stringify(admissionReview({ object: workload('Pod', podSpec(image)) })));
  const r = await strata(['admission', 'review', '--policy', policy, body]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    response: { allowed: boolean; status?: { code: number; message: string } };
  };
}

async function cliIds(severity: string): Promise<string[]> {
  const r = await strata([
    'image',
    image,
    '--db',
    db,
    '--scanners',
    'vuln',
    '--severity',
    severity,
    '--format',
    'json',
    '-q',
  ]);
  expect(r.code, r.stderr).toBe(0);
  const result = JSON.parse(r.stdout) as { findings: { kind: string; id: string }[] };
  return result.findings.filter((f) => f.kind === 'vulnerability').map((f) => f.id);
}

describe('admission vulnerability gate on a real scan (demo image in docker-registry, demo advisories)', () => {
  it('denies at CRITICAL naming exactly the advisories strata image reports at CRITICAL', async () => {
    const ids = await cliIds('CRITICAL');
    expect(ids).toEqual(['DEBIAN-CVE-2023-45853']);
    const { response } = await review('CRITICAL');
    expect(response.allowed).toBe(false);
    expect(response.status?.code).toBe(403);
    for (const id of ids) expect(response.status?.message).toContain(id);
    expect(response.status?.message).not.toContain('DEBIAN-CVE-2005-2541');
  }, 120_000);

  it('at LOW names the LOW advisory too, the same set as strata image --severity LOW,...', async () => {
    const ids = await cliIds('LOW,MEDIUM,HIGH,CRITICAL');
    expect(ids.sort()).toEqual(['DEBIAN-CVE-2005-2541', 'DEBIAN-CVE-2023-45853']);
    const { response } = await review('LOW');
    expect(response.allowed).toBe(false);
    for (const id of ids) expect(response.status?.message).toContain(id);
  }, 120_000);
});
