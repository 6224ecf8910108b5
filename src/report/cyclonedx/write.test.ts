import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { misconfigurationFinding, type VulnerabilityFinding } from '../../core/finding/index.js';
import type { ScanResult } from '../../core/types.js';
import { SPDX_EXCEPTION_IDS, SPDX_LICENSE_IDS } from '../spdx/index.js';
import {
  applicationResult,
  cycloneDxValidator,
  debianImageResult,
  ownedPackageResult,
  schemaErrors,
} from '../spdx/testing/schemas.js';
import type { CdxBom, CdxComponent } from './types.js';
import { writeCycloneDx } from './write.js';

const parse = (result: ScanResult) => JSON.parse(writeCycloneDx(result)) as CdxBom;
const fixture = debianImageResult();
const bom = parse(fixture);
const component = (ref: string) => bom.components.find((c) => c['bom-ref'] === ref)!;
const property = (c: CdxComponent, name: string) => c.properties?.find((p) => p.name === name)?.value;
const LIBSSL = 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12';

describe('writeCycloneDx', () => {
  describe('with an application (a Go main module at (devel))', () => {
    const app = parse(applicationResult());

    it('is an application component the target depends on, and it depends on its modules', () => {
      const main = app.components.find((c) => c.name === 'example.com/fxapp')!;
      expect(main).toMatchObject({ type: 'application', version: '(devel)' });
      const ref = main['bom-ref'];
      const root = app.dependencies.find((d) => d.ref === app.metadata.component['bom-ref'])!;
      expect(root.dependsOn).toContain(ref);
      const deps = app.dependencies.find((d) => d.ref === ref)!.dependsOn;
      expect(deps.map((d) => d.replace(/@.*/, ''))).toEqual([
        'pkg:golang/github.com/google/uuid',
        'pkg:golang/stdlib',
      ]);
      expect(root.dependsOn).not.toContain(deps[0]);
      expect(schemaErrors(cycloneDxValidator(), app)).toEqual([]);
    });
  });

  describe('with a language package an OS package installed', () => {
    const owned = parse(ownedPackageResult());
    const DEB = 'pkg:deb/debian/python3-urllib3@1.26.12-1%2Bdeb12u4?arch=all&distro=debian-12';
    const PYPI = 'pkg:pypi/urllib3@1.26.12';

    it('makes the OS package, not the image, depend on it', () => {
      const dependents = owned.dependencies.filter((d) => d.dependsOn.includes(PYPI)).map((d) => d.ref);
      expect(dependents).toEqual([DEB]);
      expect(owned.dependencies.find((d) => d.ref === DEB)).toEqual({ ref: DEB, dependsOn: [PYPI] });
      expect(schemaErrors(cycloneDxValidator(), owned)).toEqual([]);
    });

    it("names the owner's purl in a strata:ownedBy property", () => {
      const urllib3 = owned.components.find((c) => c['bom-ref'] === PYPI)!;
      expect(property(urllib3, 'strata:ownedBy')).toBe(DEB);
    });
  });

  describe('with a Debian image result', () => {
    it('writes a BOM the official CycloneDX 1.6 schema accepts', () => {
      expect(schemaErrors(cycloneDxValidator(), bom)).toEqual([]);
    });

    it('states format, version, serial number, timestamp and tool', () => {
      expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
      expect(bom.serialNumber).toMatch(
        /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(bom.metadata.timestamp).toBe('2024-05-01T10:20:30Z');
      expect(bom.metadata.tools).toEqual({
        components: [{ type: 'application', name: 'strata', version: '0.1.0' }],
      });
    });

    it('is byte-identical for the same result, whatever the input order', () => {
      const shuffled = { ...fixture, packages: [...fixture.packages].reverse() };
      expect(writeCycloneDx(shuffled)).toBe(writeCycloneDx(fixture));
    });

    it('derives the serial number from the content', () => {
      expect(parse({ ...fixture, packages: fixture.packages.slice(1) }).serialNumber).not.toBe(
        bom.serialNumber,
      );
    });

    it('describes the image as a container whose version is its digest, and the OS as a component', () => {
      expect(bom.metadata.component).toMatchObject({
        type: 'container',
        name: 'registry.example.com/shop/api:1.4.2',
        version: fixture.target.digest,
      });
      expect(bom.components[0]).toEqual({
        type: 'operating-system',
        'bom-ref': 'strata:os:debian@12.5',
        name: 'debian',
        version: '12.5',
        description: 'Debian GNU/Linux 12 (bookworm)',
      });
    });

    it('lists every package with its purl, and bom-refs are unique', () => {
      const libraries = bom.components.filter((c) => c.type === 'library');
      expect(libraries).toHaveLength(fixture.packages.length);
      for (const p of fixture.packages) expect(libraries.map((c) => c.purl)).toContain(p.purl);
      const refs = [bom.metadata.component, ...bom.components].map((c) => c['bom-ref']);
      expect(new Set(refs).size).toBe(refs.length);
    });

    it('uses the purl as bom-ref, plus a suffix for the second package with the same purl', () => {
      const lodash = bom.components.filter((c) => c.purl === 'pkg:npm/lodash@4.17.21');
      expect(lodash.map((c) => [c['bom-ref'], property(c, 'strata:path')])).toEqual([
        ['pkg:npm/lodash@4.17.21', 'app/node_modules/legacy-tool/package-lock.json'],
        ['pkg:npm/lodash@4.17.21|2', 'app/package-lock.json'],
      ]);
      expect(component('pkg:npm/%40babel/core@7.24.0')).toMatchObject({
        name: '@babel/core',
        version: '7.24.0',
      });
    });

    it('records provenance in strata: properties, sorted by name', () => {
      const layer = fixture.layers![0]!;
      expect(component(LIBSSL).properties).toEqual([
        { name: 'strata:ecosystem', value: 'Debian:12' },
        { name: 'strata:layer:diffId', value: layer.diffId },
        { name: 'strata:layer:digest', value: layer.digest },
        { name: 'strata:package:arch', value: 'amd64' },
        { name: 'strata:package:sourceName', value: 'openssl' },
        { name: 'strata:package:sourceVersion', value: '3.0.11-1~deb12u2' },
        { name: 'strata:path', value: 'var/lib/dpkg/status' },
      ]);
      expect(property(component('pkg:npm/%40babel/core@7.24.0'), 'strata:package:dev')).toBe('true');
    });

    it('names the maintainer as author and supplier', () => {
      expect(component(LIBSSL)).toMatchObject({
        supplier: { name: 'Debian OpenSSL Team' },
        authors: [{ name: 'Debian OpenSSL Team', email: 'pkg-openssl-devel@alioth-lists.debian.net' }],
      });
    });

    it('writes SPDX ids, names, or one expression per package', () => {
      const licenses = (purlStart: string) =>
        bom.components.find((c) => c.purl?.startsWith(purlStart))!.licenses;
      expect(licenses('pkg:deb/debian/libc6@')).toEqual([
        { license: { id: 'GPL-2.0-or-later' } },
        { license: { id: 'LGPL-2.1-or-later' } },
        { license: { id: 'LGPL-2.1-only' } },
      ]);
      expect(licenses('pkg:deb/debian/tzdata@')).toEqual([{ license: { name: 'public-domain' } }]);
      expect(licenses('pkg:deb/debian/bash@')).toEqual([
        { license: { id: 'GPL-3.0-or-later' } },
        { license: { id: 'BSD-4-Clause-UC' } },
        { license: { name: 'GFDL-NIV-1.3' } },
      ]);
      expect(licenses('pkg:npm/spdx-expression-parse@')).toEqual([{ expression: '(MIT AND CC-BY-3.0)' }]);
    });

    it('makes the image depend on the OS and the npm packages, and the OS on the Debian packages', () => {
      const root = bom.dependencies.find((d) => d.ref === bom.metadata.component['bom-ref'])!;
      const os = bom.dependencies.find((d) => d.ref === 'strata:os:debian@12.5')!;
      expect(root.dependsOn).toEqual([
        'strata:os:debian@12.5',
        'pkg:npm/%40babel/core@7.24.0',
        'pkg:npm/lodash@4.17.21',
        'pkg:npm/lodash@4.17.21|2',
        'pkg:npm/spdx-expression-parse@3.0.1',
      ]);
      expect(os.dependsOn).toHaveLength(10);
      expect(os.dependsOn).toContain(LIBSSL);
      expect(bom.dependencies).toHaveLength(2);
    });

    it('only refers to bom-refs that exist in the BOM', () => {
      const refs = new Set([bom.metadata.component, ...bom.components].map((c) => c['bom-ref']));
      const used = [
        ...bom.dependencies.flatMap((d) => [d.ref, ...d.dependsOn]),
        ...(bom.vulnerabilities ?? []).flatMap((v) => v.affects.map((a) => a.ref)),
      ];
      for (const ref of used) expect(refs, ref).toContain(ref);
    });

    it('writes vulnerability findings as vulnerabilities affecting the package', () => {
      expect(bom.vulnerabilities).toEqual([
        {
          id: 'CVE-2024-0727',
          source: { name: 'OSV', url: 'https://osv.dev/vulnerability/CVE-2024-0727' },
          references: [
            { id: 'DSA-5678-1', source: { name: 'OSV', url: 'https://osv.dev/vulnerability/DSA-5678-1' } },
          ],
          ratings: [{ severity: 'medium' }],
          description: 'openssl: denial of service via null dereference in PKCS12 parsing',
          recommendation: 'Upgrade to a fixed version: libssl3 3.0.13-1~deb12u1',
          advisories: [{ url: 'https://www.openssl.org/news/secadv/20240125.txt' }],
          affects: [{ ref: LIBSSL }],
          properties: [{ name: 'strata:vulnerability:status', value: 'fixed' }],
        },
      ]);
    });
  });

  describe('vulnerabilities', () => {
    const base = fixture.findings[0] as VulnerabilityFinding;
    it('groups one advisory found in two packages, rated with the worst severity', () => {
      const result: ScanResult = {
        ...fixture,
        findings: [
          base,
          {
            ...base,
            severity: 'HIGH',
            package: { name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' },
          },
          misconfigurationFinding({
            id: 'PSS-runAsNonRoot',
            severity: base.severity,
            title: base.title,
            location: base.location,
            evidence: { message: 'runs as root', field: 'spec.securityContext', remediation: 'runAsNonRoot' },
          }),
        ],
      };
      const out = parse(result);
      expect(schemaErrors(cycloneDxValidator(), out)).toEqual([]);
      expect(out.vulnerabilities).toHaveLength(1);
      expect(out.vulnerabilities![0]!.ratings).toEqual([{ severity: 'high' }]);
      expect(out.vulnerabilities![0]!.affects).toEqual([
        { ref: LIBSSL },
        { ref: 'pkg:npm/lodash@4.17.21' },
        { ref: 'pkg:npm/lodash@4.17.21|2' },
      ]);
    });

    it('leaves the section out when there are no vulnerability findings', () => {
      expect(parse({ ...fixture, findings: [] })).not.toHaveProperty('vulnerabilities');
    });
  });

  describe('without generatedAt', () => {
    it('omits the timestamp instead of reading the clock', () => {
      const { metadata: _m, ...bare } = fixture;
      const out = parse(bare);
      expect(out.metadata).not.toHaveProperty('timestamp');
      expect(writeCycloneDx(bare)).toBe(writeCycloneDx(bare));
      expect(schemaErrors(cycloneDxValidator(), out)).toEqual([]);
    });
  });

  describe('with a filesystem target', () => {
    it('describes an application and lists packages without an OS', () => {
      const out = parse({
        ...fixture,
        target: { type: 'filesystem', name: 'app' },
        os: undefined,
        layers: undefined,
      });
      expect(schemaErrors(cycloneDxValidator(), out)).toEqual([]);
      expect(out.metadata.component).toMatchObject({ type: 'application', name: 'app' });
      expect(out.metadata.component).not.toHaveProperty('version');
      expect(out.dependencies).toEqual([
        { ref: 'strata:target:app', dependsOn: out.components.map((c) => c['bom-ref']) },
      ]);
      expect(property(out.components[0]!, 'strata:layer:diffId')).toBeUndefined();
    });
  });

  describe('license and exception ids', () => {
    it('are all in the SPDX license list of the CycloneDX schema', () => {
      const schema = JSON.parse(
        readFileSync(new URL('./fixtures/schema/spdx.schema.json', import.meta.url), 'utf8'),
      ) as { enum: string[] };
      const missing = [...SPDX_LICENSE_IDS, ...SPDX_EXCEPTION_IDS].filter((id) => !schema.enum.includes(id));
      expect(missing).toEqual([]);
    });
  });

  describe('the schema check itself', () => {
    it.each([
      ['a wrong specVersion type', (b: Record<string, unknown>) => (b.specVersion = 1.6)],
      ['a malformed serial number', (b: Record<string, unknown>) => (b.serialNumber = 'urn:uuid:not-a-uuid')],
      [
        'an unknown license id',
        (b: Record<string, unknown>) => {
          const c = (b.components as Record<string, unknown>[])[1]!;
          c.licenses = [{ license: { id: 'GPL-2+' } }];
        },
      ],
      [
        'an unknown component type',
        (b: Record<string, unknown>) => {
          (b.components as Record<string, unknown>[])[1]!.type = 'package';
        },
      ],
      [
        'an unknown severity',
        (b: Record<string, unknown>) => {
          (b.vulnerabilities as { ratings: { severity: string }[] }[])[0]!.ratings[0]!.severity = 'urgent';
        },
      ],
    ])('rejects a BOM with %s', (_what, breakIt) => {
      const broken = JSON.parse(writeCycloneDx(fixture)) as Record<string, unknown>;
      breakIt(broken);
      expect(schemaErrors(cycloneDxValidator(), broken)).not.toEqual([]);
    });
  });
});
