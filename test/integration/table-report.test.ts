import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

/**
 * Issue 13 "Results people can read", as the user ran it: `strata image` on the bundled demo image
 * (a real OCI archive: Debian packages, Debian's python3-urllib3, an AWS key in a layer) and
 * `strata fs` on a project whose lockfile and node_modules both hold the same vulnerable package.
 */
let work: string;
let db: string;
const IMAGE = 'examples/demo-image.tar';

/** the section titles (each underlined with `=`), in order */
const titles = (text: string): string[] => {
  const lines = text.split('\n');
  return lines.filter((_, i) => /^=+$/.test(lines[i + 1] ?? ''));
};

function project(root: string, devOnly: boolean): void {
  const files: Record<string, unknown> = {
    'package-lock.json': {
      name: 'web',
      lockfileVersion: 3,
      packages: {
        '': { name: 'web', dependencies: { '@hapi/hoek': '9.0.0' } },
        'node_modules/@hapi/hoek': { version: '9.0.0', ...(devOnly ? { dev: true } : {}) },
      },
    },
    'node_modules/@hapi/hoek/package.json': { name: '@hapi/hoek', version: '9.0.0', license: 'BSD-3-Clause' },
  };
  for (const [path, json] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), JSON.stringify(json));
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-table-'));
  db = join(work, 'strata.db');
  const imported = await strata(['db', 'import', 'data/demo-osv', '--db', db, '--quiet']);
  expect(imported.code).toBe(0);
  project(join(work, 'web'), false);
  project(join(work, 'web-dev'), true);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('strata image on the demo image, as a table', () => {
  it('groups by target: OS packages, then the secret file', async () => {
    const r = await strata(['image', IMAGE, '--db', db], { env: { COLUMNS: '80' } });
    expect(r.code).toBe(0);
    // Debian's python3-urllib3/python3-requests installed the Python packages: no PyPI section
    expect(titles(r.stdout)).toEqual(['debian 12.15 (OS packages)', 'root/.aws/credentials (secrets)']);
    expect(r.stdout).toMatch(/^Vulnerabilities: 2 \(CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 1, UNKNOWN: 0\)$/m);
    expect(r.stdout).toMatch(/^ {2}urllib3 1\.26\.12 <- deb python3-urllib3 1\.26\.12-1\+deb12u\d+$/m);
  });

  it.each(['80', '132'])('fits a %s-column terminal and cuts no title mid-word', async (columns) => {
    const r = await strata(['image', IMAGE, '--db', db], { env: { COLUMNS: columns } });
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.length > Number(columns))).toEqual([]);
    // every title line ends at a word, or with … after one
    // the title beside the row (wide terminals) or stacked under it (narrow ones), wrapped at words
    const row = lines.findIndex((l) => l.includes('DEBIAN-CVE-2023-45853'));
    const next = lines.slice(row + 1);
    const continued = next.slice(
      0,
      Math.max(
        0,
        next.findIndex((l) => !/^ {4,}\S/.test(l)),
      ),
    );
    const parts = [lines[row]!.slice(Math.max(0, lines[row]!.indexOf('MiniZip'))), ...continued]
      .filter((l) => l.includes('MiniZip') || /^ {4,}\S/.test(l))
      .map((l) => l.trim())
      .filter(Boolean);
    expect(parts.length).toBeGreaterThan(1);
    const words = /^[\w`'.,-]+…?$/;
    for (const part of parts) for (const w of part.split(' ')) expect(w).toMatch(words);
  });

  it('lists every package with --list-all-pkgs; JSON lists them either way', async () => {
    const plain = await strata(['image', IMAGE, '--db', db]);
    const all = await strata(['image', IMAGE, '--db', db, '--list-all-pkgs']);
    expect(plain.stdout).not.toContain('base-files');
    expect(all.stdout).toMatch(/^base-files +12\.4\+deb12u15 +[0-9a-f]{12}$/m);
    const json = await strata(['image', IMAGE, '--db', db, '--format', 'json']);
    const jsonAll = await strata(['image', IMAGE, '--db', db, '--format', 'json', '--list-all-pkgs']);
    expect(jsonAll.stdout).toBe(json.stdout);
    expect((JSON.parse(json.stdout) as { packages: unknown[] }).packages).toHaveLength(8);
  });
});

/** The CLI on a real pseudo-terminal (util-linux `script`) of `cols` columns; NO_COLOR as given. */
function onTerminal(cols: number, env: NodeJS.ProcessEnv): string[] {
  const { COLUMNS: _c, NO_COLOR: _n, ...rest } = process.env;
  const run = spawnSync(
    'script',
    ['-qec', `stty cols ${cols}; node dist/cli/main.js image ${IMAGE} --db ${db} -q`, '/dev/null'],
    { env: { ...rest, ...env }, encoding: 'utf8', timeout: 120_000 },
  );
  expect(run.status).toBe(0);
  return run.stdout.split(/\r?\n/);
}
const stripAnsi = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, '');

describe('strata image on a terminal', () => {
  it("colours severities and fits the terminal's width, colour codes not counted", () => {
    const lines = onTerminal(100, {});
    expect(lines.join('\n')).toContain('\x1b[1;31mCRITICAL 9.8\x1b[0m');
    expect(lines.filter((l) => stripAnsi(l).length > 100)).toEqual([]);
    // a coloured row is aligned as its header: the ID column starts at the same column
    const header = lines.find((l) => l.startsWith('SEVERITY '))!;
    const row = stripAnsi(lines.find((l) => l.includes('DEBIAN-CVE-2023-45853'))!);
    expect(row.indexOf('DEBIAN-CVE')).toBe(header.indexOf('ID'));
  });

  it('writes no colour with NO_COLOR', () => {
    expect(onTerminal(100, { NO_COLOR: '1' }).join('\n')).not.toContain('\x1b[');
  });
});

describe('strata fs on a project with a lockfile and node_modules', () => {
  it('reports each advisory once, the package listed once with both files', async () => {
    const r = await strata(['fs', join(work, 'web'), '--db', db, '--format', 'json']);
    const result = JSON.parse(r.stdout) as {
      packages: { name: string; path: string; locations?: string[] }[];
      findings: { id: string; location: { path: string } }[];
    };
    expect(result.packages).toEqual([
      expect.objectContaining({
        name: '@hapi/hoek',
        path: 'package-lock.json',
        locations: ['node_modules/@hapi/hoek/package.json', 'package-lock.json'],
      }),
    ]);
    expect(result.findings.map((f) => [f.id, f.location.path])).toEqual([
      ['GHSA-22h7-7wwg-qmgg', 'package-lock.json'],
    ]);
    const table = await strata(['fs', join(work, 'web'), '--db', db]);
    expect(titles(table.stdout)).toEqual(['package-lock.json (npm)']);
    expect(table.stdout.match(/GHSA-22h7-7wwg-qmgg/g)).toHaveLength(1);
  });

  it('--no-include-dev drops a dev dependency from the lockfile and from node_modules', async () => {
    const r = await strata(['fs', join(work, 'web-dev'), '--db', db, '--format', 'json', '--no-include-dev']);
    expect(JSON.parse(r.stdout)).toMatchObject({ packages: [], findings: [] });
  });
});
