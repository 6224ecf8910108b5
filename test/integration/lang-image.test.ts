import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/types.js';
import { strata } from '../support/cli.js';
import { run } from '../support/exec.js';
import { buildLayered, installDebs } from '../support/layered-image.js';

/**
 * Issue 3 "done means", on one real multi-layer image: npm packages installed by npm (this
 * repository's own node_modules), Debian's python3-six (dist-packages), Debian's docker-registry
 * Go binary, Debian's libjsr305-java jar and ruby-rack gemspec; a secret written in one layer and
 * deleted in the next; a token in the image config.
 */
const NPM = ['yaml', 'commander', 'tar-stream'];
// generated at test time, so no real credential is ever committed; GitHub's token shape
const token = `ghp_${Buffer.from(Array.from({ length: 27 }, (_, i) => (i * 37 + 11) % 256))
  .toString('base64url')
  .slice(0, 36)}`;
const configToken = `glpat-${'Zq3vK8mW2xN7pR4tY6uB'}`;

let work: string;
let target: string;
let result: ScanResult;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-lang-'));
  const { layout, tag } = await buildLayered(
    join(work, 'img'),
    [
      {
        createdBy: 'npm install yaml commander tar-stream',
        apply: async (root) => {
          for (const name of NPM) {
            cpSync(join('node_modules', name), join(root, 'app/node_modules', name), { recursive: true });
          }
        },
      },
      {
        createdBy: 'apt-get install python3-six libjsr305-java ruby-rack docker-registry',
        apply: (root) =>
          installDebs(root, work, ['python3-six', 'libjsr305-java', 'ruby-rack']).then(() => {
            mkdirSync(join(root, 'usr/bin'), { recursive: true });
            cpSync('/usr/bin/docker-registry', join(root, 'usr/bin/docker-registry'));
          }),
      },
      {
        createdBy: 'COPY .env /app/.env',
        apply: async (root) => writeFileSync(join(root, 'app/.env'), `GITHUB_TOKEN=${token}\n`),
      },
      { createdBy: 'RUN rm /app/.env', apply: async (root) => rmSync(join(root, 'app/.env')) },
    ],
    [`GITLAB_TOKEN=${configToken}`],
  );
  target = `oci:${layout}:${tag}`;
  const r = await strata(['image', target, '--scanners', 'secret', '--format', 'json', '-q']);
  expect(r.stderr).toBe('');
  result = JSON.parse(r.stdout) as ScanResult;
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const find = (ecosystem: string, name: string) =>
  result.packages.filter((p) => p.ecosystem === ecosystem && p.name === name).map((p) => p.version);

describe('strata image on an image holding npm, Python, Go, Java and Ruby artifacts', () => {
  it.each(NPM)('lists the npm package %s with the version npm installed', (name) => {
    const pkg = JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(find('npm', name)).toEqual([pkg.version]);
  });

  it("lists Debian's python3-six as PyPI six", () => {
    expect(find('PyPI', 'six')).toEqual(['1.16.0']);
  });

  it("lists the Go binary's main module and standard library as `go version -m` prints them", async () => {
    const info = await run('go', ['version', '-m', '/usr/bin/docker-registry']).catch(() => '');
    const goVersion = /go(\d+\.\d+(?:\.\d+)?)/.exec(info)?.[1];
    expect(goVersion).toBeDefined();
    expect(find('Go', 'stdlib')).toEqual([goVersion]);
    const deps = [...info.matchAll(/^\tdep\t(\S+)\t(\S+)/gm)].map(
      (m) => `${m[1]}@${m[2]!.replace(/^v/, '')}`,
    );
    const listed = result.packages.filter((p) => p.ecosystem === 'Go').map((p) => `${p.name}@${p.version}`);
    expect(listed).toEqual(expect.arrayContaining(deps));
  });

  it("lists the jar's Maven coordinates", () => {
    const maven = result.packages.filter((p) => p.ecosystem === 'Maven');
    expect(maven.length).toBeGreaterThan(0);
    for (const p of maven) expect(p.path).toMatch(/\.jar$/);
  });

  it("lists Debian's ruby-rack gemspec as the rack gem", () => {
    expect(find('RubyGems', 'rack')[0]).toMatch(/^2\.2\.\d+$/);
  });

  it('records the layer that added each language package', () => {
    const layers = result.layers!.map((l) => l.digest);
    for (const name of NPM) expect(result.packages.find((p) => p.name === name)?.layer).toBe(layers[0]);
    expect(result.packages.find((p) => p.name === 'six')?.layer).toBe(layers[1]);
  });

  it('finds the token deleted in layer 4 in layer 3, which still holds it', () => {
    const f = result.findings.find((x) => x.kind === 'secret' && x.location.path === 'app/.env');
    expect(f?.location.layer).toBe(result.layers![2]!.digest);
    expect(f?.location.line).toBe(1);
  });

  it('finds the token in the image config', () => {
    expect(
      result.findings.some((x) => x.kind === 'secret' && x.location.path?.startsWith('config:Env')),
    ).toBe(true);
  });

  it.each(['json', 'table', 'sarif', 'cyclonedx', 'spdx'])(
    'never prints a secret unredacted (%s)',
    async (format) => {
      const r = await strata(['image', target, '--scanners', 'secret', '--format', format, '-q']);
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.stdout).not.toContain(token);
      expect(r.stdout).not.toContain(configToken);
      expect(r.stdout).not.toContain(token.slice(4, 20));
    },
  );
});
