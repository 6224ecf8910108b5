import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FindingInit,
  type VulnerabilityFinding,
  vulnerabilityFinding,
} from '../../core/finding/index.js';
import { buildResult } from '../../core/result.js';
import { filterResult } from '../../report/filter.js';
import { ignoreFileSuppressor, parseIgnoreFile } from './ignorefile.js';
import { loadSuppressors } from './index.js';

function finding(
  id: string,
  aliases: string[],
  name: string,
  extra: Partial<FindingInit<VulnerabilityFinding>> = {},
): VulnerabilityFinding {
  return vulnerabilityFinding({
    id,
    aliases,
    severity: 'HIGH',
    title: `${id} in ${name}`,
    package: { name, version: '1.0', purl: `pkg:deb/debian/${name}@1.0?arch=amd64&distro=debian-12` },
    fixedVersion: '1.1',
    location: { path: 'var/lib/dpkg/status', layer: 'sha256:aa' },
    evidence: {
      ecosystem: 'Debian:12',
      matchedBy: 'binary',
      matchedName: name,
      matchedVersion: '1.0',
      severitySource: 'database',
      modified: '2024-01-01T00:00:00Z',
    },
    ...extra,
  });
}

const libssl = finding('DSA-5532-1', ['CVE-2023-5363'], 'libssl3');
const libc = finding('DSA-5678-1', ['CVE-2024-33599'], 'libc6');
const npmFinding = finding('GHSA-226w-6hhj-69hp', [], 'cal_rd', {
  package: { name: 'cal_rd', version: '0.1.1', purl: 'pkg:npm/cal_rd@0.1.1' },
  location: { path: 'app/package-lock.json' },
});
const result = buildResult({
  target: { type: 'container_image', name: 'demo' },
  findings: [libssl, libc, npmFinding],
});
const NOW = new Date('2026-06-15T12:00:00Z');

describe('.strataignore', () => {
  const file = parseIgnoreFile(
    '.strataignore',
    `ignore:
  - id: CVE-2023-5363
    package: libssl3
    reason: only used for local sockets
    expires: 2026-06-15
  - id: GHSA-226w-6hhj-69hp
    path: app/**
  - id: DSA-5678-1
    expires: 2026-01-31
    reason: waiting for the point release
  - id: CVE-2099-0001
    package: not-installed
`,
  );

  it('ignores by alias within the package scope, through the expiry day', () => {
    const { suppressor } = ignoreFileSuppressor(file, NOW);
    expect(suppressor(libssl, result.target)).toEqual({
      by: 'ignorefile',
      file: '.strataignore',
      rule: 'CVE-2023-5363',
      reason: 'only used for local sockets',
      expires: '2026-06-15',
    });
    expect(suppressor(finding('DSA-5532-1', ['CVE-2023-5363'], 'openssl'), result.target)).toBeUndefined();
  });

  it('scopes by path glob', () => {
    const { suppressor } = ignoreFileSuppressor(file, NOW);
    expect(suppressor(npmFinding, result.target)?.by).toBe('ignorefile');
    expect(
      suppressor({ ...npmFinding, location: { path: 'srv/package-lock.json' } }, result.target),
    ).toBeUndefined();
  });

  it('stops ignoring an expired entry and says so', () => {
    const { suppressor, warnings } = ignoreFileSuppressor(file, NOW);
    expect(suppressor(libc, result.target)).toBeUndefined();
    expect(warnings).toEqual([
      '.strataignore: ignore[2] for DSA-5678-1 expired on 2026-01-31 (waiting for the point release); it no longer ignores',
    ]);
    const dayAfter = ignoreFileSuppressor(file, new Date('2026-06-16T00:00:00Z'));
    expect(dayAfter.suppressor(libssl, result.target)).toBeUndefined();
    expect(dayAfter.warnings).toHaveLength(2);
  });

  it.each([
    ['ignore: 3', '.strataignore: ignore: is not a list'],
    ['ignore:\n  - package: x', '.strataignore: ignore[0].id: is missing'],
    [
      'ignore:\n  - id: X\n    expires: next week',
      '.strataignore: ignore[0].expires: "next week" is not a date (YYYY-MM-DD)',
    ],
    [
      'ignore:\n  - id: X\n    severity: LOW',
      '.strataignore: ignore[0]: unknown key "severity" (expected one of id,',
    ],
    ['ignore:\n  - id: X\n    reason: [a]', '.strataignore: ignore[0].reason: is not a string'],
    ['ignore:\n  - [X]', '.strataignore: ignore[0]: is not a mapping or an id'],
    ['ignore: [', '.strataignore: not valid YAML'],
  ])('refuses %j with one clear line', (text, message) => {
    expect(() => parseIgnoreFile('.strataignore', text)).toThrow(message);
  });

  describe('when the file is a plain .trivyignore list', () => {
    it('reads one id a line, skipping blank lines and # comments, with exp: dates and trailing reasons', () => {
      const text =
        '# accepted risks\nCVE-2023-43804\n\n  GHSA-xxxx-yyyy exp:2026-12-31\nAVD-KSV-0001 # no root\r\n';
      expect(parseIgnoreFile('.trivyignore', text).rules).toEqual([
        { id: 'CVE-2023-43804' },
        { id: 'GHSA-xxxx-yyyy', expires: '2026-12-31' },
        { id: 'AVD-KSV-0001', reason: 'no root' },
      ]);
    });

    it('reads a one-line list (YAML would read it as a string)', () => {
      expect(parseIgnoreFile('.trivyignore', 'CVE-1 exp:2024-01-01\n').rules).toEqual([
        { id: 'CVE-1', expires: '2024-01-01' },
      ]);
    });

    it('expires an entry after its exp: day, with a warning', () => {
      const file = parseIgnoreFile('.trivyignore', 'CVE-1 exp:2024-01-01\nCVE-2\n');
      const { warnings } = ignoreFileSuppressor(file, new Date('2024-01-02T00:00:00Z'));
      expect(warnings).toEqual([
        '.trivyignore: ignore[0] for CVE-1 expired on 2024-01-01; it no longer ignores',
      ]);
    });

    it.each([
      ['CVE-1 exp:tomorrow', '.trivyignore:1: exp:tomorrow is not a date (YYYY-MM-DD)'],
      ['CVE-1\nCVE-2 expires:2024-01-01', '.trivyignore:2: expected "ID" or "ID exp:YYYY-MM-DD", got'],
    ])('refuses %j naming the line', (text, message) => {
      expect(() => parseIgnoreFile('.trivyignore', text)).toThrow(message);
    });

    it('reads an empty or comment-only file as no entries', () => {
      expect(parseIgnoreFile('.trivyignore', '# nothing yet\n').rules).toEqual([]);
      expect(parseIgnoreFile('.trivyignore', '').rules).toEqual([]);
    });
  });

  it('accepts a bare list of ids', () => {
    expect(parseIgnoreFile('f', '- CVE-1\n- id: CVE-2').rules).toEqual([{ id: 'CVE-1' }, { id: 'CVE-2' }]);
  });
});

describe('filterResult with suppressors', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-ignore-'));
    writeFileSync(join(dir, 'ignore.yaml'), 'ignore:\n  - id: DSA-5678-1\n    reason: accepted\n');
    writeFileSync(
      join(dir, 'doc.vex.json'),
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: [
          {
            vulnerability: { name: 'CVE-2023-5363' },
            products: [{ '@id': 'pkg:deb/debian/libssl3' }],
            status: 'not_affected',
            justification: 'inline_mitigations_already_exist',
          },
        ],
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('moves suppressed findings to `suppressed` with the reason, and recounts the summary', () => {
    const { suppressors, warnings } = loadSuppressors({
      ignorefile: join(dir, 'ignore.yaml'),
      vex: join(dir, 'doc.vex.json'),
      now: NOW,
    });
    expect(warnings).toEqual([]);
    const out = filterResult(result, { suppressors });
    expect(out.findings.map((f) => f.id)).toEqual(['GHSA-226w-6hhj-69hp']);
    expect(out.summary.HIGH).toBe(1);
    expect(out.suppressed?.map((f) => [f.id, (f.evidence.suppression as { by: string }).by])).toEqual([
      ['DSA-5532-1', 'vex'],
      ['DSA-5678-1', 'ignorefile'],
    ]);
    expect(out.suppressed?.[0]?.evidence.suppression).toMatchObject({
      justification: 'inline_mitigations_already_exist',
    });
  });

  it('keeps the result unchanged without suppressors', () => {
    expect(filterResult(result, {})).toEqual(result);
  });

  it('fails clearly on a missing ignore file', () => {
    expect(() => loadSuppressors({ ignorefile: join(dir, 'nope') })).toThrow(
      /nope: cannot read the ignore file/,
    );
  });
});
