import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

/**
 * Issue 11 item 8, through the built CLI: a VEX statement about one image's zlib1g suppresses that
 * advisory in that image only. The demo image and advisories ship with the repository.
 */
const IMAGE = 'examples/demo-image.tar';
const ADVISORY = 'DEBIAN-CVE-2023-45853';

let work: string;
let db: string;
let digest: string;
let baseline: string[];

interface Result {
  readonly target: { readonly digest: string };
  readonly findings: { readonly id: string }[];
  readonly suppressed?: { readonly id: string; readonly evidence: { readonly suppression: unknown } }[];
}

async function scan(vex?: string): Promise<Result> {
  const r = await strata([
    'image',
    IMAGE,
    '--db',
    db,
    '--format',
    'json',
    '-q',
    ...(vex ? ['--vex', vex] : []),
  ]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Result;
}

function vexFile(name: string, products: unknown): string {
  const path = join(work, name);
  writeFileSync(
    path,
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': `https://example.com/vex/${name}`,
      author: 'test',
      timestamp: '2026-01-01T00:00:00Z',
      version: 1,
      statements: [
        {
          vulnerability: { name: 'CVE-2023-45853' },
          products,
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
      ],
    }),
  );
  return path;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-vex-cli-'));
  db = join(work, 'strata.db');
  const imported = await strata(['db', 'import', 'data/demo-osv', '--db', db, '-q']);
  expect(imported.code, imported.stderr).toBe(0);
  const result = await scan();
  digest = result.target.digest;
  baseline = result.findings.map((f) => f.id);
  expect(baseline).toContain(ADVISORY);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('strata image --vex', () => {
  it('suppresses the advisory for the subcomponent of this image digest, and nothing else', async () => {
    const path = vexFile('this-image.json', [
      { '@id': `pkg:oci/demo-image@${digest}`, subcomponents: [{ '@id': 'pkg:deb/debian/zlib1g' }] },
    ]);
    const out = await scan(path);
    expect(out.findings.map((f) => f.id)).toEqual(baseline.filter((id) => id !== ADVISORY));
    expect(out.suppressed?.map((f) => f.id)).toEqual([ADVISORY]);
  });

  it.each([
    [
      'another image digest',
      [{ '@id': `pkg:oci/demo-image@sha256:${'0'.repeat(64)}`, subcomponents: ['pkg:deb/debian/zlib1g'] }],
    ],
    [
      'another package of this image',
      [{ '@id': `pkg:oci/demo-image@${digest}`, subcomponents: ['pkg:deb/debian/libc6'] }],
    ],
    ['the same name in another ecosystem', ['pkg:apk/alpine/zlib1g']],
    ['other qualifiers', ['pkg:deb/debian/zlib1g?arch=arm64']],
  ])('suppresses nothing for a statement about %s', async (name, products) => {
    const out = await scan(vexFile(`${name.replace(/\W+/g, '-')}.json`, products));
    expect(out.findings.map((f) => f.id)).toEqual(baseline);
    expect(out.suppressed).toBeUndefined();
  });

  it('refuses a statement without products with one line naming the file and field', async () => {
    const path = vexFile('no-products.json', undefined);
    const r = await strata(['image', IMAGE, '--db', db, '--format', 'json', '-q', '--vex', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^strata: .*no-products\.json: statements\[0\]\.products: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
