import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Finding, type VulnerabilityFinding, vulnerabilityFinding } from '../../core/finding/index.js';
import type { ScanTarget } from '../../core/types.js';
import { loadVex, parseVex, vexSuppressor } from './vex.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const imageA: ScanTarget = { type: 'container_image', name: '127.0.0.1:5000/shop/web:1.0', digest: A };
const imageB: ScanTarget = { type: 'container_image', name: '127.0.0.1:5000/shop/api:1.0', digest: B };
const localA: ScanTarget = { type: 'container_image', name: 'oci-archive:/tmp/web.tar', digest: A };
const hub: ScanTarget = { type: 'container_image', name: 'debian:12', digest: A };
const project: ScanTarget = { type: 'filesystem', name: '/src/app' };

function vuln(purl: string, id = 'DSA-5678-1', aliases = ['CVE-2024-33599']): VulnerabilityFinding {
  const name = purl.replace(/^pkg:[^/]+\/(?:[^/]+\/)?([^@?]+).*$/, '$1');
  return vulnerabilityFinding({
    id,
    aliases,
    severity: 'HIGH',
    title: `${id} in ${name}`,
    package: { name, version: '2.36-9', purl },
    location: { path: 'var/lib/dpkg/status', layer: 'sha256:cc' },
    evidence: {
      ecosystem: 'Debian:12',
      matchedBy: 'source',
      matchedName: 'glibc',
      matchedVersion: '2.36-9',
      severitySource: 'database',
      modified: '2024-05-01T00:00:00Z',
    },
  });
}

const libc6 = vuln('pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12');
const libcBin = vuln('pkg:deb/debian/libc-bin@2.36-9?arch=amd64&distro=debian-12');
const libc6Apk = vuln('pkg:apk/alpine/libc6@2.36-9?arch=x86_64&distro=3.19.1');
const libc6Npm = vuln('pkg:npm/libc6@2.36.9');
const libc6Arm = vuln('pkg:deb/debian/libc6@2.36-9?arch=arm64&distro=debian-12');
const libc6Older = vuln('pkg:deb/debian/libc6@2.36-8?arch=amd64&distro=debian-12');

/** A document with one not_affected statement about CVE-2024-33599 and these products. */
function doc(products: unknown, extra: Record<string, unknown> = {}) {
  return parseVex(
    'web.vex.json',
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.com/vex/web-1',
      author: 'Security Team',
      timestamp: '2026-05-01T00:00:00Z',
      version: 1,
      statements: [
        {
          vulnerability: { name: 'CVE-2024-33599' },
          products,
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          ...extra,
        },
      ],
    }),
  );
}

const webImage = `pkg:oci/web@${A}?repository_url=127.0.0.1:5000/shop/web`;
const imageWithLibc6 = doc([{ '@id': webImage, subcomponents: [{ '@id': 'pkg:deb/debian/libc6' }] }]);

describe('OpenVEX statement scope', () => {
  describe('a statement never suppresses outside its product', () => {
    it.each([
      ['another image digest', imageWithLibc6, libc6, imageB],
      ['the same digest under another repository', imageWithLibc6, libc6, { ...imageB, digest: A }],
      ['another package in the image', imageWithLibc6, libcBin, imageA],
      ['the same name in another ecosystem (apk)', imageWithLibc6, libc6Apk, imageA],
      ['the same name in another ecosystem (npm)', imageWithLibc6, libc6Npm, imageA],
      ['a filesystem scan', imageWithLibc6, libc6, project],
      [
        'a subcomponent with other qualifiers',
        doc([{ '@id': webImage, subcomponents: ['pkg:deb/debian/libc6?arch=arm64'] }]),
        libc6,
        imageA,
      ],
      [
        'a package purl with other qualifiers',
        doc(['pkg:deb/debian/libc6@2.36-9?arch=arm64']),
        libc6,
        imageA,
      ],
      ['a package purl of another version', doc(['pkg:deb/debian/libc6@2.36-9']), libc6Older, imageA],
      ['an image product of another digest', doc([`pkg:oci/web@${B}`]), libc6, imageA],
      [
        'a version-less image product of another repository',
        doc(['pkg:oci/web?repository_url=127.0.0.1:5000/other/web']),
        libc6,
        imageA,
      ],
      ['a version-less image product on a local archive', doc(['pkg:oci/web']), libc6, localA],
      ['a version-less image product of another tag', doc(['pkg:oci/debian?tag=11']), libc6, hub],
      [
        'a package product with subcomponents (dependencies are not tracked)',
        doc([{ '@id': 'pkg:deb/debian/libc6', subcomponents: ['pkg:deb/debian/libc6'] }]),
        libc6,
        imageA,
      ],
      [
        'a CPE-only product',
        doc([{ identifiers: { cpe23: 'cpe:2.3:a:gnu:glibc:2.36:*:*:*:*:*:*:*' } }]),
        libc6,
        imageA,
      ],
      [
        'statement-level subcomponents in another image',
        doc([webImage], { subcomponents: ['pkg:deb/debian/libc6'] }),
        libc6,
        imageB,
      ],
    ])('%s', (_, vex, finding, target) => {
      expect(vexSuppressor(vex)(finding, target)).toBeUndefined();
    });

    it('another vulnerability in the same package and image', () => {
      expect(
        vexSuppressor(imageWithLibc6)(vuln(libc6.package!.purl, 'CVE-2024-2961', []), imageA),
      ).toBeUndefined();
    });

    it('findings that are not vulnerabilities', () => {
      // the package too, which the types forbid: the kind alone must decide
      const secret = { ...libc6, kind: 'secret' } as unknown as Finding;
      expect(vexSuppressor(doc([webImage]))(secret, imageA)).toBeUndefined();
    });
  });

  describe('a statement suppresses inside its product', () => {
    it.each([
      ['the image digest and a subcomponent', imageWithLibc6, libc6, imageA],
      [
        'a subcomponent with the same qualifiers',
        doc([{ '@id': webImage, subcomponents: ['pkg:deb/debian/libc6?arch=amd64'] }]),
        libc6,
        imageA,
      ],
      [
        'a package purl product, in any image',
        doc(['pkg:deb/debian/libc6@2.36-9?arch=amd64']),
        libc6,
        imageB,
      ],
      ['a version-less package purl, any version', doc(['pkg:deb/debian/libc6']), libc6Older, imageA],
      ['a version-less package purl, any arch', doc(['pkg:deb/debian/libc6']), libc6Arm, imageA],
      ['a purl in identifiers', doc([{ identifiers: { purl: 'pkg:deb/debian/libc6' } }]), libc6, project],
      ['an image product without subcomponents: every package in it', doc([webImage]), libcBin, imageA],
      ['a digest-pinned image read from a local archive', imageWithLibc6, libc6, localA],
      [
        'the index digest a platform manifest was chosen from',
        doc([{ '@id': `pkg:oci/web@${B}`, subcomponents: ['pkg:deb/debian/libc6'] }]),
        libc6,
        { ...imageA, indexDigest: B },
      ],
      [
        'a version-less image product on Docker Hub',
        doc(['pkg:oci/debian?repository_url=index.docker.io/library/debian&tag=12']),
        libc6,
        hub,
      ],
      [
        'statement-level subcomponents (v0.0.x)',
        doc([webImage], { subcomponents: ['pkg:deb/debian/libc6'] }),
        libc6,
        imageA,
      ],
    ])('%s', (_, vex, finding, target) => {
      expect(vexSuppressor(vex)(finding, target)).toMatchObject({ by: 'vex', status: 'not_affected' });
    });

    it('matches the vulnerability by its name or an alias', () => {
      const byAlias = parseVex(
        'v.json',
        JSON.stringify({
          '@context': 'https://openvex.dev/ns/v0.2.0',
          statements: [
            {
              vulnerability: { name: 'GHSA-xxxx', aliases: ['DSA-5678-1'] },
              products: ['pkg:deb/debian/libc6'],
              status: 'fixed',
            },
          ],
        }),
      );
      expect(vexSuppressor(byAlias)(libc6, imageA)).toMatchObject({ status: 'fixed' });
      expect(vexSuppressor(byAlias)(vuln(libc6.package!.purl, 'GHSA-xxxx', []), imageA)).toBeDefined();
    });
  });
});

describe('OpenVEX statement order', () => {
  const vex = parseVex(
    'app.vex.json',
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      timestamp: '2026-05-01T00:00:00Z',
      statements: [
        {
          vulnerability: { name: 'DSA-5678-1' },
          products: ['pkg:deb/debian/libc6'],
          status: 'affected',
          action_statement: 'upgrade',
          timestamp: '2026-05-02T01:00:00+02:00',
        },
        {
          vulnerability: 'DSA-5678-1',
          products: ['pkg:deb/debian/libc6'],
          status: 'not_affected',
          justification: 'component_not_present',
          timestamp: '2026-05-01T22:00:00-02:00',
          '@id': 'stmt-2',
        },
      ],
    }),
  );

  it('lets the later statement win, comparing timestamps as instants', () => {
    // 2026-05-02T01:00+02:00 is 23:00Z on May 1st, before 2026-05-02T00:00Z
    expect(vexSuppressor(vex)(libc6, imageA)).toEqual({
      by: 'vex',
      file: 'app.vex.json',
      status: 'not_affected',
      justification: 'component_not_present',
      statement: 'stmt-2',
    });
  });
});

describe('reading OpenVEX documents', () => {
  const minimal = (statement: Record<string, unknown>) =>
    JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [statement] });
  const products = ['pkg:deb/debian/libc6'];

  it.each([
    ['{', /^x\.json: not valid JSON/],
    ['{"statements": []}', /^x\.json: \["@context"\]: expected string/],
    [
      '{"@context":"https://example.com","statements":[]}',
      /^x\.json: \["@context"\]: expected an OpenVEX context/,
    ],
    [
      minimal({ vulnerability: { name: 'CVE-1' }, products, status: 'not_affected' }),
      /^x\.json: statements\[0\]: a not_affected statement needs a justification or an impact_statement/,
    ],
    [
      minimal({ vulnerability: { name: 'CVE-1' }, products, status: 'maybe' }),
      /^x\.json: statements\[0\]\.status: /,
    ],
    [minimal({ vulnerability: { name: 'CVE-1' }, status: 'fixed' }), /^x\.json: statements\[0\]\.products: /],
    [
      minimal({ vulnerability: { name: 'CVE-1' }, products: [], status: 'fixed' }),
      /^x\.json: statements\[0\]\.products: /,
    ],
    [
      minimal({ vulnerability: {}, products, status: 'fixed' }),
      /^x\.json: statements\[0\]\.vulnerability\.name: /,
    ],
    [
      minimal({ vulnerability: 'CVE-1', products: [{ hashes: { 'sha-256': 'ab' } }], status: 'fixed' }),
      /^x\.json: statements\[0\]\.products\[0\]: expected an @id or identifiers/,
    ],
    [
      minimal({
        vulnerability: 'CVE-1',
        products: [{ '@id': 'pkg:deb/debian/x', subcomponents: [7] }],
        status: 'fixed',
      }),
      /^x\.json: statements\[0\]\.products\[0\]\.subcomponents\[0\]: /,
    ],
    [
      minimal({ vulnerability: 'CVE-1', products, status: 'fixed', timestamp: 'yesterday' }),
      /^x\.json: statements\[0\]\.timestamp: expected an RFC 3339 timestamp/,
    ],
  ])('refuses %s with one line naming the file and field', (text, message) => {
    expect(() => parseVex('x.json', text)).toThrow(message);
  });

  const dir = mkdtempSync(join(tmpdir(), 'strata-vex-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file through the safe reader', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, minimal({ vulnerability: 'CVE-1', products, status: 'fixed' }));
    expect(loadVex(file).statements).toHaveLength(1);
    expect(() => loadVex(join(dir, 'missing.json'))).toThrow(/vex file .*missing\.json: no such file/);
    expect(() => loadVex(dir)).toThrow(/vex file .*: is a directory/);
  });
});
