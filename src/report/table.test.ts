import { describe, expect, it } from 'vitest';
import {
  misconfigurationFinding,
  rbacFinding,
  secretFinding,
  vulnerabilityFinding,
} from '../core/finding/index.js';
import { buildResult } from '../core/result.js';
import type { Severity } from '../core/severity.js';
import type { Package } from '../core/types.js';
import { displayWidth } from './table/text.js';
import { writeTable } from './table.js';

const LAYER = `sha256:${'ab'.repeat(32)}`;
const pkg = (name: string, version: string, ecosystem: string, purl: string, path: string): Package => ({
  name,
  version,
  ecosystem,
  purl,
  path,
  layer: LAYER,
});
const ZLIB = pkg(
  'zlib1g',
  '1:1.2.13.dfsg-1',
  'Debian:12',
  'pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1',
  'var/lib/dpkg/status',
);
const TAR = pkg(
  'tar',
  '1.34+dfsg-1.2',
  'Debian:12',
  'pkg:deb/debian/tar@1.34+dfsg-1.2',
  'var/lib/dpkg/status',
);
const HOEK = {
  ...pkg('@hapi/hoek', '9.0.0', 'npm', 'pkg:npm/%40hapi/hoek@9.0.0', 'app/package-lock.json'),
  locations: ['app/node_modules/@hapi/hoek/package.json', 'app/package-lock.json'],
};
const URLLIB3 = pkg(
  'urllib3',
  '1.26.12',
  'PyPI',
  'pkg:pypi/urllib3@1.26.12',
  'usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info',
);
const STDLIB = pkg('stdlib', '1.19.8', 'Go', 'pkg:golang/stdlib@1.19.8', 'usr/bin/registry');

const vuln = (p: Package, id: string, severity: Severity, title: string, fixed?: string) =>
  vulnerabilityFinding({
    id,
    severity,
    title,
    package: { name: p.name, version: p.version, purl: p.purl },
    ...(fixed ? { fixedVersion: fixed } : {}),
    location: { path: p.path, layer: LAYER },
    evidence: {
      ecosystem: p.ecosystem,
      matchedBy: 'binary',
      matchedName: p.name,
      matchedVersion: p.version,
      severitySource: 'none',
      modified: '2024-01-01T00:00:00Z',
    },
  });

const LONG_TITLE =
  'MiniZip in zlib through 1.3 has an integer overflow and resultant heap-based buffer overflow in zipOpenNewFileInZip4_64 via a long filename, comment, or extra field';

const result = buildResult({
  target: { type: 'container_image', name: 'registry.example/app:1', digest: `sha256:${'cd'.repeat(32)}` },
  os: { family: 'debian', version: '12.5' },
  packages: [ZLIB, TAR, HOEK, URLLIB3, STDLIB],
  findings: [
    vuln(ZLIB, 'CVE-2023-45853', 'CRITICAL', LONG_TITLE),
    vuln(HOEK, 'GHSA-22h7-7wwg-qmgg', 'MEDIUM', 'Prototype pollution in hoek', '9.0.3'),
    vuln(
      URLLIB3,
      'PYSEC-2023-192',
      'HIGH',
      'Cookie header\x1b[2J leaks on\ncross-origin redirect',
      '1.26.17',
    ),
    vuln(STDLIB, 'GO-2023-1705', 'UNKNOWN', 'Excessive resource consumption in net/http', '1.19.9'),
    secretFinding({
      id: 'aws-access-key-id',
      severity: 'CRITICAL',
      title: 'AWS access key ID',
      location: { path: 'root/.aws/credentials', line: 2, layer: LAYER },
      evidence: { rule: 'aws-access-key-id', category: 'AWS', match: 'AKIA****' },
    }),
    misconfigurationFinding({
      id: 'STRATA-DOCKER-0002',
      severity: 'HIGH',
      title: 'Image runs as root',
      location: { resource: 'image config' },
      evidence: { message: 'no USER', field: 'config.User', remediation: 'add USER' },
    }),
    rbacFinding({
      id: 'STRATA-RBAC-0001',
      severity: 'CRITICAL',
      title: 'Binding to cluster-admin',
      location: { resource: 'ClusterRoleBinding/ops', path: 'rbac.yaml', line: 3 },
      evidence: { binding: 'ops', role: 'cluster-admin', scope: 'cluster', subjects: ['User:bob'] },
    }),
  ],
});

/** the section titles (each underlined with `=`), in order */
const titles = (text: string): string[] => {
  const lines = text.split('\n');
  return lines.filter((_, i) => /^=+$/.test(lines[i + 1] ?? ''));
};
const section = (text: string, title: string): string => {
  const start = text.indexOf(`\n${title}\n`);
  const next = titles(text.slice(start + title.length + 2))[0];
  const rest = text.slice(start + 1);
  return next ? rest.slice(0, rest.indexOf(`\n${next}\n`)) : rest;
};

describe('writeTable', () => {
  const text = writeTable(result, { width: 100 });

  it('groups by target as Trivy: OS packages first, then each file or installed group, then secrets, misconfigurations, others', () => {
    expect(titles(text)).toEqual([
      'debian 12.5 (OS packages)',
      'app/package-lock.json (npm)',
      'Python (site-packages)',
      'usr/bin/registry (Go)',
      'root/.aws/credentials (secrets)',
      'image config (misconfigurations)',
      'RBAC',
    ]);
  });

  it('counts each section by severity', () => {
    expect(section(text, 'debian 12.5 (OS packages)')).toContain(
      'Vulnerabilities: 1 (CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0)',
    );
    expect(section(text, 'root/.aws/credentials (secrets)')).toContain('Secrets: 1 (CRITICAL: 1,');
    expect(section(text, 'image config (misconfigurations)')).toContain(
      'Misconfigurations: 1 (CRITICAL: 0, HIGH: 1,',
    );
  });

  it('shows a merged lockfile package once, under its lockfile', () => {
    expect(text.match(/GHSA-22h7-7wwg-qmgg/g)).toHaveLength(1);
    expect(section(text, 'app/package-lock.json (npm)')).toMatch(
      /MEDIUM +GHSA-22h7-7wwg-qmgg +@hapi\/hoek +9\.0\.0 +9\.0\.3 +Prototype pollution in hoek/,
    );
  });

  it('fits every line in the width and wraps titles between words', () => {
    const os = section(text, 'debian 12.5 (OS packages)');
    for (const line of text.split('\n').filter((l) => !l.startsWith('Digest:'))) {
      expect(displayWidth(line)).toBeLessThanOrEqual(100);
    }
    const titleLines = os
      .split('\n')
      .filter((l) => l.includes('CVE-2023-45853') || /^ {20,}\S/.test(l))
      .map((l) => l.slice(l.indexOf('MiniZip') >= 0 ? l.indexOf('MiniZip') : l.search(/\S/)));
    expect(titleLines.length).toBeGreaterThan(1);
    const words = new Set(LONG_TITLE.split(' '));
    for (const part of titleLines) {
      for (const word of part.replace(/…$/, '').split(' ')) expect(words.has(word)).toBe(true);
    }
  });

  it('never passes control characters of an advisory title to the terminal', () => {
    expect(text).not.toContain('\x1b');
    // the escape became a space; the newline too, so the title stays in its column
    expect(section(text, 'Python (site-packages)')).toMatch(/Cookie header \[2J leaks on\s+cross-origin/);
  });

  it('shows the line and layer of a secret, and the resource and line of other findings', () => {
    expect(section(text, 'root/.aws/credentials (secrets)')).toMatch(
      /CRITICAL +aws-access-key-id +2 +abababababab +AWS access key ID/,
    );
    expect(section(text, 'RBAC')).toContain('ClusterRoleBinding/ops rbac.yaml:3');
  });

  describe('with colours', () => {
    const coloured = writeTable(result, { width: 100, color: true });
    it('paints severities without moving a column', () => {
      expect(coloured).toContain('\x1b[1;31mCRITICAL\x1b[0m');
      expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(text);
    });
  });

  describe('--list-all-pkgs', () => {
    const all = writeTable(result, { width: 100, listAllPackages: true });
    it("lists each target's packages under its findings", () => {
      const os = section(all, 'debian 12.5 (OS packages)');
      expect(os).toContain('Packages: 2');
      expect(os).toMatch(/^tar +1\.34\+dfsg-1\.2 +abababababab$/m);
    });

    it('lists targets without findings too, and the OS package that owns a language package', () => {
      const ownedBy = {
        type: 'deb' as const,
        name: 'python3-urllib3',
        version: '1.26.12-1+deb12u1',
        purl: 'pkg:deb/debian/python3-urllib3@1.26.12-1%2Bdeb12u1?arch=all&distro=debian-12',
      };
      const owned = { ...URLLIB3, ownedBy };
      const clean = buildResult({ ...result, packages: [ZLIB, owned], findings: [] });
      expect(writeTable(clean).includes('Packages: 1\n')).toBe(false);
      const listed = writeTable(clean, { listAllPackages: true });
      expect(titles(listed)).toEqual(['debian 12.5 (OS packages)', 'Python (site-packages)']);
      expect(section(listed, 'Python (site-packages)')).toMatch(
        /urllib3 +1\.26\.12 +python3-urllib3 1\.26\.12-1\+deb12u1 +abababababab/,
      );
    });
  });

  it('says so when nothing was found', () => {
    const clean = writeTable(buildResult({ ...result, findings: [] }));
    expect(clean).toContain('No findings (--list-all-pkgs lists the packages).');
    expect(titles(clean)).toEqual([]);
  });

  it('keeps the findings an image scan attributed to workload containers apart, per workload and image', () => {
    const on = (f: ReturnType<typeof vuln>, resource: string, container: string) => ({
      ...f,
      location: { ...f.location, resource, container, image: `r.example/app:1@sha256:${'ef'.repeat(32)}` },
    });
    const zlib = vuln(ZLIB, 'CVE-2023-45853', 'CRITICAL', 'zlib');
    const cluster = buildResult({
      target: { type: 'cluster', name: 'prod' },
      findings: [on(zlib, 'Deployment/shop/web', 'app'), on(zlib, 'Pod/tools/debug', 'main')],
    });
    const image = `r.example/app:1@sha256:${'ef'.repeat(32)}`;
    expect(titles(writeTable(cluster, { width: 200 }))).toEqual([
      `Deployment/shop/web (app) ${image}: OS packages`,
      `Pod/tools/debug (main) ${image}: OS packages`,
    ]);
  });
});
