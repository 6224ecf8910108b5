import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';
import { debianImage } from '../support/debian-image.js';

/**
 * Issue 13: an SBOM a team already has (`strata image sbom:FILE`, as `grype sbom:FILE`; a bare
 * CycloneDX/SPDX JSON path, as `trivy sbom FILE`) is matched against the advisory database like the
 * image it describes: same findings, same filters, ignore files, VEX and exit codes.
 */
interface Result {
  target: { type: string; name: string; digest?: string };
  packages: {
    name: string;
    version: string;
    ecosystem: string;
    purl: string;
    path: string;
    ownedBy?: { purl: string };
  }[];
  findings: {
    id: string;
    kind: string;
    package?: { name: string; version: string };
    fixedVersion?: string;
    severity: string;
  }[];
  suppressed?: { id: string }[];
  errors: { analyzer: string; message: string }[];
}

let work: string;
let db: string;
const FIXTURES = 'src/scan/sbom-in/fixtures';

const json = async (args: string[], cwd?: string) => {
  const run = await strata([...args, '--db', db, '--format', 'json'], cwd ? { cwd } : {});
  expect(run.code, run.stderr).toBe(0);
  return { run, result: JSON.parse(run.stdout) as Result };
};

const vulnerabilities = (r: Result) =>
  r.findings
    .filter((f) => f.kind === 'vulnerability')
    .map((f) => `${f.id} ${f.package?.name} ${f.package?.version} ${f.fixedVersion ?? '-'} ${f.severity}`);

const inventory = (r: Result) =>
  r.packages.map(
    (p) =>
      `${p.ecosystem} ${p.name} ${p.version} ${p.purl} ${p.path}${p.ownedBy ? ` <- ${p.ownedBy.purl}` : ''}`,
  );

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-sbom-scan-'));
  db = join(work, 'demo.db');
  const imported = await strata(['db', 'import', 'data/demo-osv', '--db', db, '-q']);
  expect(imported.code, imported.stderr).toBe(0);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each([
  ['the demo image', async () => 'examples/demo-image.tar'],
  [
    'the multi-layer debootstrap image',
    async () => {
      const img = await debianImage();
      return `oci:${img.layout}:${img.tag}`;
    },
  ],
])('an SBOM Strata wrote for %s, scanned back', (_what, image) => {
  let target: string;
  let direct: Result;
  beforeAll(async () => {
    target = await image();
    direct = (await json(['image', target, '--scanners', 'vuln'])).result;
  }, 600_000);

  it.each(['cyclonedx', 'spdx'])('gives the findings of the image itself (%s)', async (format) => {
    const file = join(work, `${format}-${direct.target.digest?.slice(7, 19)}.json`);
    const written = await strata(['sbom', target, '--format', format, '-o', file, '-q']);
    expect(written.code, written.stderr).toBe(0);
    const { result } = await json(['image', `sbom:${file}`]);
    expect(vulnerabilities(result)).toEqual(vulnerabilities(direct));
    expect(inventory(result)).toEqual(inventory(direct));
    expect(result.target).toEqual(direct.target);
    expect(vulnerabilities(direct).length).toBeGreaterThan(0);
  });
});

describe('SBOMs other tools wrote', () => {
  it('matches a Trivy-shaped SPDX document of an Alpine image given as a bare path, gated by --exit-code', async () => {
    const file = join(FIXTURES, 'trivy-style-alpine.spdx.json');
    const run = await strata(['image', file, '--db', db, '--format', 'json', '--exit-code', '4']);
    expect(run.code, run.stderr).toBe(4);
    const result = JSON.parse(run.stdout) as Result;
    expect(vulnerabilities(result)).toContain('ALPINE-CVE-2024-0727 libcrypto3 3.1.4-r1 3.1.4-r5 UNKNOWN');
    expect(new Set(result.findings.map((f) => f.package?.name))).toEqual(new Set(['libcrypto3', 'musl']));
    expect(run.stderr).toMatch(/scanning the SBOM .*trivy-style-alpine\.spdx\.json \(SPDX 2\.3, 3 packages/);
  });

  it('applies --severity, a .trivyignore in the working directory and VEX on the image digest', async () => {
    const file = join(process.cwd(), FIXTURES, 'trivy-style-alpine.spdx.json');
    const all = vulnerabilities((await json(['image', `sbom:${file}`])).result);
    const cwd = mkdtempSync(join(work, 'ignore-'));
    writeFileSync(join(cwd, '.trivyignore'), 'ALPINE-CVE-2024-0727\n');
    const ignored = await json(['image', `sbom:${file}`], cwd);
    expect(ignored.result.suppressed?.map((f) => f.id)).toEqual(['ALPINE-CVE-2024-0727']);
    expect(vulnerabilities(ignored.result)).toHaveLength(all.length - 1);

    const vex = join(work, 'alpine.vex.json');
    writeFileSync(
      vex,
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'https://example.com/vex/1',
        author: 'team',
        timestamp: '2024-04-02T00:00:00Z',
        version: 1,
        statements: [
          {
            vulnerability: { name: 'ALPINE-CVE-2023-6129' },
            products: [
              {
                '@id':
                  'pkg:oci/alpine@sha256:51b67269f354137895d43f3b3d810bfacd3945438e94dc5ac55fdac340352f48',
                subcomponents: [{ '@id': 'pkg:apk/alpine/libcrypto3' }],
              },
            ],
            status: 'not_affected',
            justification: 'vulnerable_code_not_in_execute_path',
          },
        ],
      }),
    );
    const vexed = await json(['image', `sbom:${file}`, '--vex', vex]);
    expect(vexed.result.suppressed?.map((f) => f.id)).toEqual(['ALPINE-CVE-2023-6129']);
    // the demo advisories carry no severity: a HIGH gate reports nothing
    const high = await json(['image', `sbom:${file}`, '--severity', 'HIGH,CRITICAL']);
    expect(high.result.findings).toEqual([]);
  });

  it("reads Trivy's own CycloneDX and SPDX test documents, saying what the database does not cover", async () => {
    const cdx = await json(['image', `sbom:${FIXTURES}/trivy-image.cdx.json`]);
    expect(inventory(cdx.result)).toContain(
      'Packagist pear/pear_exception 1.0.0 pkg:composer/pear/pear_exception@v1.0.0 app/composer/composer.lock',
    );
    expect(cdx.run.stderr).toMatch(/warning: no advisories for Alpine:v3\.16 in the database/);
    const spdx = await json(['image', `sbom:${FIXTURES}/trivy-centos-7.spdx.json`]);
    expect(inventory(spdx.result)).toContain(
      'Red Hat:enterprise_linux:7 openssl-libs 1:1.0.2k-16.el7 pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1&distro=centos-7.6.1810 ',
    );
  });

  it('warns, naming how many, about components it could not check', async () => {
    const { run, result } = await json(['image', `sbom:${FIXTURES}/syft-style-debian.cdx.json`]);
    expect(run.stderr).toContain(
      'syft-style-debian.cdx.json: 1 of 6 components has no package URL (purl) and was not checked for vulnerabilities (first: components[5] "vendored-helper")',
    );
    expect(result.errors.map((e) => e.analyzer)).toContain('sbom/cyclonedx');
    expect(vulnerabilities(result).some((v) => v.startsWith('GO-2023-1751 stdlib 1.19.8'))).toBe(true);
  });
});

describe('strata sbom on an SBOM', () => {
  it('writes it again in the format asked for, and says how to scan it', async () => {
    const out = join(work, 'converted.cdx.json');
    const run = await strata(['sbom', `sbom:${FIXTURES}/trivy-style-alpine.spdx.json`, '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('strata image sbom:');
    const bom = JSON.parse(readFileSync(out, 'utf8')) as { components: { name: string; purl: string }[] };
    expect(bom.components.map((c) => c.purl)).toContain(
      'pkg:apk/alpine/libcrypto3@3.1.4-r1?arch=x86_64&distro=3.19.0',
    );
  });
});

describe('bad SBOMs', () => {
  it.each([
    [
      'a wrong field type',
      '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","purl":["x"]}]}',
      /^strata: .*bad-1\.json: components\[0\]\.purl: expected string, got array\n$/,
    ],
    [
      'not an SBOM',
      '{"name":"app","version":"1.0.0"}',
      /^strata: .*bad-2\.json: neither a CycloneDX JSON BOM/,
    ],
  ])('%s: exit 2, one line naming the file and field', async (_what, text, message) => {
    const n = _what === 'not an SBOM' ? 2 : 1;
    const file = join(work, `bad-${n}.json`);
    writeFileSync(file, text);
    const run = await strata(['image', `sbom:${file}`, '--db', db, '--exit-code', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('an SBOM target is local: --offline scans it', async () => {
    const run = await strata([
      'image',
      `sbom:${FIXTURES}/trivy-image.cdx.json`,
      '--db',
      db,
      '--offline',
      '-q',
    ]);
    expect(run.code, run.stderr).toBe(0);
  });

  it('--sbom-attest has nothing to attach to', async () => {
    const run = await strata(['image', `sbom:${FIXTURES}/trivy-image.cdx.json`, '--sbom-attest', 'k.key']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--sbom-attest: .* is an SBOM file, not a registry image/);
  });
});
