import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OSV_DIR, importOsv, openAdvisoryDb } from '../../vuln/index.js';
import { scanSbom } from './scan.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const RECORDS = [
  'Alpine/ALPINE-CVE-2024-0727.json',
  'Alpine/ALPINE-CVE-2023-5678.json',
  'Debian/DEBIAN-CVE-2023-45853.json',
  'PyPI/PYSEC-2023-192.json',
  'Go/GO-2023-1751.json',
];

describe('scanning an SBOM', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-sbom-scan-'));
    db = join(dir, 'strata.db');
    const store = openAdvisoryDb(db);
    await importOsv(
      store,
      RECORDS.map((r) => join(DEMO_OSV_DIR, r)),
    );
    store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const scan = async (file: string, scanners: ('vuln' | 'secret')[] = ['vuln', 'secret']) => {
    const warnings: string[] = [];
    const result = await scanSbom(file, { scanners, db, onWarning: (w) => warnings.push(w) });
    return { result, warnings };
  };

  it('matches an SPDX document’s Alpine packages by their source package, in the release the purl names', async () => {
    const { result } = await scan(fixture('trivy-style-alpine.spdx.json'));
    expect(result.target).toEqual({
      type: 'container_image',
      name: 'alpine:3.19.0',
      digest: 'sha256:51b67269f354137895d43f3b3d810bfacd3945438e94dc5ac55fdac340352f48',
    });
    // 3.1.4-r1 has the fix of CVE-2023-5678 (3.1.4-r1), not that of CVE-2024-0727 (3.1.4-r5)
    expect(result.findings.map((f) => [f.id, f.package?.name, f.package?.version])).toEqual([
      ['ALPINE-CVE-2024-0727', 'libcrypto3', '3.1.4-r1'],
    ]);
    expect(result.findings[0]?.evidence).toMatchObject({ ecosystem: 'Alpine:v3.19', matchedBy: 'source' });
  });

  it('matches a CycloneDX BOM’s Debian, PyPI and Go packages, and says what it skipped', async () => {
    const file = fixture('syft-style-debian.cdx.json');
    const { result, warnings } = await scan(file);
    expect(result.findings.map((f) => `${f.id} ${f.package?.name}@${f.package?.version}`).sort()).toEqual([
      'DEBIAN-CVE-2023-45853 zlib1g@1:1.2.13.dfsg-1',
      'GO-2023-1751 stdlib@1.19.8',
      'PYSEC-2023-192 urllib3@1.26.12',
    ]);
    const skipped = `${file}: 1 of 6 components has no package URL (purl) and was not checked for vulnerabilities (first: components[5] "vendored-helper")`;
    expect(warnings).toContain(skipped);
    expect(result.errors).toContainEqual({ analyzer: 'sbom/cyclonedx', path: file, message: skipped });
    expect(result.metadata?.sbom).toEqual({
      path: file,
      format: 'cyclonedx',
      specVersion: '1.4',
      components: 8,
      packages: 5,
    });
  });

  it('runs no detector when no scanner is asked for (strata sbom)', async () => {
    const { result } = await scan(fixture('syft-style-debian.cdx.json'), []);
    expect(result.findings).toEqual([]);
    expect(result.packages).toHaveLength(5);
  });

  it('says when the SBOM lists nothing, and reports 0 packages as Trivy does', async () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}');
    const { result, warnings } = await scan(empty);
    expect(result.packages).toEqual([]);
    expect(result.target).toEqual({ type: 'filesystem', name: empty });
    expect(warnings).toEqual([`${empty}: the SBOM lists no components`]);
  });

  it('says which packages no advisory ecosystem covers', async () => {
    const generic = join(dir, 'generic.json');
    writeFileSync(
      generic,
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        components: [
          { type: 'library', name: 'openssl', version: '3.0.0', purl: 'pkg:generic/openssl@3.0.0' },
          { type: 'library', name: 'curl', version: '8.0.0', purl: 'pkg:generic/curl@8.0.0' },
          { type: 'library', name: 'tar', version: '1.34', purl: 'pkg:deb/unknown-distro/tar@1.34' },
        ],
      }),
    );
    const { warnings } = await scan(generic);
    expect(warnings).toContain(
      `${generic}: 3 packages of purl types without an advisory ecosystem (or an OS package whose distribution the SBOM does not name) were listed but not checked: deb (1), generic (2)`,
    );
  });
});
