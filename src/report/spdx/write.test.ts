import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../core/types.js';
import {
  applicationResult,
  debianImageResult,
  ownedPackageResult,
  schemaErrors,
  spdxValidator,
} from './testing/schemas.js';
import type { SpdxDocument } from './types.js';
import { writeSpdx } from './write.js';

const parse = (result: ScanResult) => JSON.parse(writeSpdx(result)) as SpdxDocument;
const fixture = debianImageResult();
const doc = parse(fixture);
const byPurl = (purl: string) =>
  doc.packages.filter((p) => p.externalRefs?.some((r) => r.referenceLocator === purl));

describe('writeSpdx', () => {
  describe('with an application (a Go main module at (devel))', () => {
    const app = parse(applicationResult());
    const id = (name: string) => app.packages.find((p) => p.name === name)!.SPDXID;

    it('is an APPLICATION package that DEPENDS_ON the modules built into it', () => {
      expect(app.packages.find((p) => p.name === 'example.com/fxapp')).toMatchObject({
        versionInfo: '(devel)',
        primaryPackagePurpose: 'APPLICATION',
      });
      const deps = app.relationships
        .filter((r) => r.spdxElementId === id('example.com/fxapp') && r.relationshipType === 'DEPENDS_ON')
        .map((r) => r.relatedSpdxElement)
        .sort();
      expect(deps).toEqual([id('github.com/google/uuid'), id('stdlib')].sort());
      expect(schemaErrors(spdxValidator(), app)).toEqual([]);
    });
  });

  describe('with a language package an OS package installed', () => {
    const owned = parse(ownedPackageResult());
    const id = (name: string) => owned.packages.find((p) => p.name === name)!.SPDXID;

    it('makes the OS package CONTAIN it, and nothing else', () => {
      const parents = owned.relationships.filter((r) => r.relatedSpdxElement === id('urllib3'));
      expect(parents).toEqual([
        {
          spdxElementId: id('python3-urllib3'),
          relationshipType: 'CONTAINS',
          relatedSpdxElement: id('urllib3'),
        },
      ]);
      expect(schemaErrors(spdxValidator(), owned)).toEqual([]);
    });

    it("names the owner's purl in an annotation", () => {
      const urllib3 = owned.packages.find((p) => p.name === 'urllib3')!;
      expect(urllib3.annotations?.map((a) => a.comment)).toContain(
        'strata:ownedBy=pkg:deb/debian/python3-urllib3@1.26.12-1%2Bdeb12u4?arch=all&distro=debian-12',
      );
    });
  });

  describe('with a Debian image result', () => {
    it('writes a document the official SPDX 2.3 schema accepts', () => {
      expect(schemaErrors(spdxValidator(), doc)).toEqual([]);
    });

    it('states the document header as SPDX 2.3 requires it', () => {
      expect(doc).toMatchObject({
        spdxVersion: 'SPDX-2.3',
        dataLicense: 'CC0-1.0',
        SPDXID: 'SPDXRef-DOCUMENT',
        name: 'registry.example.com/shop/api:1.4.2',
        creationInfo: { creators: ['Tool: strata-0.1.0'], created: '2024-05-01T10:20:30Z' },
      });
      expect(doc.documentNamespace).toMatch(
        /^https:\/\/strata\.dev\/spdxdocs\/registry\.example\.com-shop-api-1\.4\.2-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });

    it('is byte-identical for the same result, whatever the input order', () => {
      const shuffled = { ...fixture, packages: [...fixture.packages].reverse() };
      expect(writeSpdx(shuffled)).toBe(writeSpdx(fixture));
    });

    it('changes the namespace when the content changes', () => {
      const fewer = parse({ ...fixture, packages: fixture.packages.slice(1) });
      expect(fewer.documentNamespace).not.toBe(doc.documentNamespace);
    });

    it('lists every package once, with its purl as a PACKAGE-MANAGER reference', () => {
      for (const p of fixture.packages) {
        const found = doc.packages.filter((q) =>
          q.externalRefs?.some(
            (r) =>
              r.referenceCategory === 'PACKAGE-MANAGER' &&
              r.referenceType === 'purl' &&
              r.referenceLocator === p.purl,
          ),
        );
        expect(found.length, p.purl).toBe(fixture.packages.filter((q) => q.purl === p.purl).length);
      }
      expect(doc.packages).toHaveLength(fixture.packages.length + 2);
    });

    it('gives every element a unique, valid SPDX id', () => {
      const ids = doc.packages.map((p) => p.SPDXID);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
    });

    it('describes the image, which contains the OS and the npm packages; the OS contains the Debian packages', () => {
      const root = doc.packages[0]!;
      const os = doc.packages[1]!;
      expect(root).toMatchObject({
        name: 'registry.example.com/shop/api:1.4.2',
        versionInfo: fixture.target.digest,
        primaryPackagePurpose: 'CONTAINER',
      });
      expect(os).toMatchObject({
        name: 'debian',
        versionInfo: '12.5',
        primaryPackagePurpose: 'OPERATING_SYSTEM',
      });
      expect(doc.relationships[0]).toEqual({
        spdxElementId: 'SPDXRef-DOCUMENT',
        relationshipType: 'DESCRIBES',
        relatedSpdxElement: root.SPDXID,
      });
      const parentOf = (id: string) =>
        doc.relationships
          .filter((r) => r.relationshipType === 'CONTAINS' && r.relatedSpdxElement === id)
          .map((r) => r.spdxElementId);
      expect(parentOf(os.SPDXID)).toEqual([root.SPDXID]);
      expect(
        parentOf(byPurl('pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12')[0]!.SPDXID),
      ).toEqual([os.SPDXID]);
      expect(parentOf(byPurl('pkg:npm/%40babel/core@7.24.0')[0]!.SPDXID)).toEqual([root.SPDXID]);
      for (const p of doc.packages.slice(2)) expect(parentOf(p.SPDXID), p.name).toHaveLength(1);
    });

    it('only relates elements that exist in the document', () => {
      const ids = new Set(['SPDXRef-DOCUMENT', ...doc.packages.map((p) => p.SPDXID)]);
      for (const r of doc.relationships) {
        expect(ids, r.spdxElementId).toContain(r.spdxElementId);
        expect(ids, r.relatedSpdxElement).toContain(r.relatedSpdxElement);
      }
    });

    it('records layer digest, diffID, path and source package as annotations', () => {
      const [libssl] = byPurl('pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12');
      const layer = fixture.layers![0]!;
      expect(libssl!.annotations!.map((a) => a.comment)).toEqual([
        'strata:ecosystem=Debian:12',
        `strata:layer:diffId=${layer.diffId}`,
        `strata:layer:digest=${layer.digest}`,
        'strata:package:arch=amd64',
        'strata:package:sourceName=openssl',
        'strata:package:sourceVersion=3.0.11-1~deb12u2',
        'strata:path=var/lib/dpkg/status',
      ]);
      expect(libssl!.annotations![0]).toMatchObject({
        annotationType: 'OTHER',
        annotator: 'Tool: strata-0.1.0',
        annotationDate: '2024-05-01T10:20:30Z',
      });
      expect(libssl!.sourceInfo).toBe('built package from: openssl 3.0.11-1~deb12u2');
      expect(libssl!.supplier).toBe(
        'Person: Debian OpenSSL Team (pkg-openssl-devel@alioth-lists.debian.net)',
      );
    });

    it('keeps the two lodash packages apart by path', () => {
      const lodash = byPurl('pkg:npm/lodash@4.17.21');
      expect(lodash).toHaveLength(2);
      expect(
        lodash.map((p) => p.annotations!.find((a) => a.comment.startsWith('strata:path='))!.comment),
      ).toEqual([
        'strata:path=app/node_modules/legacy-tool/package-lock.json',
        'strata:path=app/package-lock.json',
      ]);
    });

    it('declares licenses as SPDX expressions, with LicenseRefs defined for names', () => {
      const declared = (purlStart: string) =>
        doc.packages.find((p) => p.externalRefs?.[0]?.referenceLocator.startsWith(purlStart))!
          .licenseDeclared;
      expect(declared('pkg:deb/debian/libc6@')).toBe(
        'GPL-2.0-or-later AND LGPL-2.1-or-later AND LGPL-2.1-only',
      );
      expect(declared('pkg:deb/debian/libgcrypt20@')).toBe(
        'LGPL-2.1-or-later AND GPL-2.0-or-later AND BSD-3-Clause',
      );
      expect(declared('pkg:deb/debian/tzdata@')).toBe('LicenseRef-public-domain');
      expect(declared('pkg:npm/spdx-expression-parse@')).toBe('(MIT AND CC-BY-3.0)');
      const refs = new Set(doc.hasExtractedLicensingInfos!.map((l) => l.licenseId));
      const used = doc.packages.flatMap((p) => p.licenseDeclared.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []);
      expect(used.length).toBeGreaterThan(0);
      for (const id of used) expect(refs, id).toContain(id);
      expect(
        doc.hasExtractedLicensingInfos!.find((l) => l.licenseId === 'LicenseRef-public-domain'),
      ).toMatchObject({
        name: 'public-domain',
        extractedText: 'public-domain',
      });
    });

    it('says NOASSERTION where a scan cannot know', () => {
      for (const p of doc.packages) {
        expect(p).toMatchObject({
          downloadLocation: 'NOASSERTION',
          licenseConcluded: 'NOASSERTION',
          filesAnalyzed: false,
        });
      }
    });
  });

  describe('without generatedAt', () => {
    it('uses the image creation time, else the epoch, so output never depends on the clock', () => {
      expect(
        parse({ ...fixture, metadata: { imageCreated: '2024-04-30T08:00:00Z' } }).creationInfo.created,
      ).toBe('2024-04-30T08:00:00Z');
      const { metadata: _m, ...bare } = fixture;
      expect(parse(bare).creationInfo.created).toBe('1970-01-01T00:00:00Z');
    });
  });

  describe('with a filesystem target and no packages', () => {
    it('is still a valid document describing the directory', () => {
      const empty = parse({
        ...fixture,
        target: { type: 'filesystem', name: '/src/my app' },
        os: undefined,
        packages: [],
        findings: [],
      });
      expect(schemaErrors(spdxValidator(), empty)).toEqual([]);
      expect(empty.packages).toEqual([
        expect.objectContaining({ name: '/src/my app', primaryPackagePurpose: 'APPLICATION' }),
      ]);
      expect(empty.relationships).toHaveLength(1);
      expect(empty.documentNamespace).toMatch(/^https:\/\/strata\.dev\/spdxdocs\/src-my-app-/);
    });
  });

  describe('the schema check itself', () => {
    it.each([
      ['a missing creationInfo', (d: Record<string, unknown>) => delete d.creationInfo],
      [
        'an unknown relationship type',
        (d: Record<string, unknown>) =>
          ((d.relationships as { relationshipType: string }[])[0]!.relationshipType = 'OWNS'),
      ],
      [
        'a package without downloadLocation',
        (d: Record<string, unknown>) => delete (d.packages as Record<string, unknown>[])[0]!.downloadLocation,
      ],
      ['an unknown top-level field', (d: Record<string, unknown>) => (d.vulnerabilities = [])],
    ])('rejects a document with %s', (_what, breakIt) => {
      const broken = JSON.parse(writeSpdx(fixture)) as Record<string, unknown>;
      breakIt(broken);
      expect(schemaErrors(spdxValidator(), broken)).not.toEqual([]);
    });
  });
});
