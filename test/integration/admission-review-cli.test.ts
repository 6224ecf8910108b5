import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { admissionReview } from '../../src/admission/testing/reviews.js';
import { strata } from '../support/cli.js';

const WORKLOADS = join(process.cwd(), 'src/kube/workload/fixtures/workloads.yaml');
let work: string;
const policy = () => join(work, 'policy.yaml');

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strata-adm-cli-'));
  writeFileSync(policy(), 'podSecurity: { workloads: enforce }\nrules: { denySeverity: NONE }\n');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('strata admission review', () => {
  it('gives every workload of the config fixtures the PSS ids strata config reports for it', async () => {
    const config = await strata(['config', WORKLOADS, '--format', 'json', '-q']);
    const findings = (
      JSON.parse(config.stdout) as { findings: { id: string; location: { resource: string } }[] }
    ).findings;
    const docs = parseAllDocuments(readFileSync(WORKLOADS, 'utf8')).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } },
    );
    expect(docs).toHaveLength(9);
    for (const doc of docs) {
      const ns = doc.metadata.namespace;
      const ref = ns ? `${doc.kind}/${ns}/${doc.metadata.name}` : `${doc.kind}/${doc.metadata.name}`;
      const expected = findings
        .filter((f) => f.id.startsWith('PSS-') && f.location.resource === ref)
        .map((f) => f.id);
      const review = admissionReview({
        kind: doc.kind,
        ...(ns ? { namespace: ns } : {}),
        name: doc.metadata.name,
        object: doc,
      });
      const run = await strata(['admission', 'review', '--policy', policy(), '-'], {
        input: JSON.stringify(review),
      });
      expect(run.code).toBe(0);
      const r = (JSON.parse(run.stdout) as { response: { allowed: boolean; status?: { message: string } } })
        .response;
      const ids = [...(r.status?.message ?? '').matchAll(/(?:; |: )(PSS-[A-Za-z_]+):/g)].map((m) => m[1]);
      expect({ kind: doc.kind, allowed: r.allowed, ids: [...new Set(ids)].sort() }).toEqual({
        kind: doc.kind,
        allowed: expected.length === 0,
        ids: [...new Set(expected)].sort(),
      });
    }
  });

  it('answers from a file with the uid echoed', async () => {
    const file = join(work, 'review.json');
    writeFileSync(file, JSON.stringify(admissionReview({ uid: 'abc-123' })));
    const run = await strata(['admission', 'review', '--policy', policy(), file]);
    expect(JSON.parse(run.stdout)).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'abc-123', allowed: true },
    });
  });

  it.each([
    [
      'a review that is not one',
      ['-'],
      '{"kind":"Pod"}',
      /^strata: stdin: not an admission\.k8s\.io\/v1 AdmissionReview request: apiVersion: /,
    ],
    ['a review that is not JSON', ['-'], 'apiVersion: v1', /^strata: stdin: not valid JSON/],
    ['a missing review file', ['/nonexistent/review.json'], '', /^strata: .*\/nonexistent\/review\.json/],
  ])('refuses %s: one line, exit 2', async (_name, args, input, message) => {
    const run = await strata(['admission', 'review', '--policy', policy(), ...args], { input });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a policy with a typo, naming the file and the field', async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, 'images:\n  pinDigest: true\n');
    const run = await strata(['admission', 'review', '--policy', bad, '-'], { input: '{}' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`strata: ${bad}: images: Unrecognized key: "pinDigest"\n`);
  });
});
