import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGE_ANALYZERS } from '../../src/analyzers/lang/index.js';
import { analyzersFor } from '../../src/analyzers/registry.js';
import type { ScanResult } from '../../src/core/types.js';
import { scanFilesystem } from '../../src/scan/fs.js';

/**
 * The language analyzers through the real `strata fs` pipeline (directory source, single-pass walker,
 * inventory): a tree of projects built from the analyzers' real fixtures, one per ecosystem.
 */
const LANG = new URL('../../src/analyzers/lang/', import.meta.url).pathname;
const TREE: Record<string, string> = {
  'web/package-lock.json': 'npm-lock/fixtures/package-lock-v3.json',
  'web/node_modules': 'npm/fixtures/node_modules',
  'py/poetry.lock': 'poetry/fixtures/poetry-2.1.lock',
  'py/venv/lib/python3.11/site-packages/attrs-23.2.0.dist-info/METADATA':
    'python/fixtures/attrs-23.2.0.dist-info/METADATA',
  'go/go.mod': 'go-mod/fixtures/go.mod',
  'java/target/app.jar': 'java-archive/fixtures/app.jar',
  'java/pom.xml': 'maven-pom/fixtures/pom.xml',
  'ruby/Gemfile.lock': 'bundler/fixtures/Gemfile.lock',
  'rust/Cargo.lock': 'cargo-lock/fixtures/Cargo.lock',
  'php/composer.lock': 'composer-lock/fixtures/composer.lock',
  'php/vendor/composer/installed.json': 'composer/fixtures/installed-v2.json',
  'dotnet/Web.deps.json': 'dotnet-deps/fixtures/Web.deps.json',
  'dotnet/packages.lock.json': 'nuget-lock/fixtures/packages.lock.json',
};

let root: string;
const registered = new Set(analyzersFor(['lang']).map((a) => a.name));
const extra = LANGUAGE_ANALYZERS.filter((a) => !registered.has(a.name));
const scan = (includeDev = true) =>
  scanFilesystem(root, { scanners: [], analyzers: extra, includeDev }) as Promise<ScanResult>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'strata-lang-fs-'));
  for (const [to, from] of Object.entries(TREE)) {
    mkdirSync(dirname(join(root, to)), { recursive: true });
    cpSync(join(LANG, from), join(root, to), { recursive: true });
  }
  mkdirSync(join(root, 'broken'));
  writeFileSync(join(root, 'broken/yarn.lock'), 'lodash@^4:\n  version "4.17.21"\nnot yarn at all\n');
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('strata fs with the language analyzers', () => {
  it('lists every ecosystem with OSV names and purls', async () => {
    const result = await scan();
    const byEcosystem = new Map<string, number>();
    for (const p of result.packages) byEcosystem.set(p.ecosystem, (byEcosystem.get(p.ecosystem) ?? 0) + 1);
    expect(Object.fromEntries(byEcosystem)).toEqual({
      Go: 3,
      Maven: 13,
      NuGet: 9,
      npm: 6, // five dependencies and the project itself (extra.main)
      Packagist: 3,
      PyPI: 3,
      RubyGems: 3,
      'crates.io': 4, // three crates and the project's own (extra.main)
    });
    const find = (path: string, name: string) =>
      result.packages.find((p) => p.path === path && p.name === name);
    expect(find('web/package-lock.json', '@hapi/hoek')?.purl).toBe('pkg:npm/%40hapi/hoek@9.3.0');
    expect(result.packages.filter((p) => p.ecosystem === 'npm' && p.extra?.main).map((p) => p.path)).toEqual([
      'web/package-lock.json',
    ]);
    expect(find('go/go.mod', 'github.com/google/uuid')?.purl).toBe('pkg:golang/github.com/google/uuid@1.6.0');
    expect(find('java/target/app.jar', 'com.google.code.findbugs:jsr305')?.purl).toBe(
      'pkg:maven/com.google.code.findbugs/jsr305@3.0.2',
    );
    expect(find('php/composer.lock', 'ramsey/uuid')?.purl).toBe('pkg:composer/ramsey/uuid@4.7.5');
    const nested = result.packages.find((p) =>
      p.locations?.includes('web/node_modules/debug/node_modules/ms/package.json'),
    );
    expect(nested?.version).toBe('2.1.2');
  });

  it('lists a lockfile package and its installed copy once, with both files', async () => {
    const result = await scan();
    const one = (ecosystem: string, name: string) =>
      result.packages.filter((p) => p.ecosystem === ecosystem && p.name === name);
    expect(one('npm', 'debug')).toEqual([
      expect.objectContaining({
        path: 'web/package-lock.json',
        locations: ['web/node_modules/debug/package.json', 'web/package-lock.json'],
      }),
    ]);
    expect(one('PyPI', 'attrs')).toEqual([
      expect.objectContaining({
        path: 'py/poetry.lock',
        locations: ['py/poetry.lock', 'py/venv/lib/python3.11/site-packages/attrs-23.2.0.dist-info/METADATA'],
      }),
    ]);
    expect(one('Packagist', 'psr/log')).toEqual([
      expect.objectContaining({
        path: 'php/composer.lock',
        locations: ['php/composer.lock', 'php/vendor/composer/installed.json'],
      }),
    ]);
    // two versions of ms are two packages, each merged with its own node_modules copy
    expect(one('npm', 'ms').map((p) => [p.version, p.locations?.[0]])).toEqual([
      ['2.1.2', 'web/node_modules/debug/node_modules/ms/package.json'],
      ['2.1.3', 'web/node_modules/ms/package.json'],
    ]);
  });

  it('drops dev-only dependencies when asked', async () => {
    const all = await scan(true);
    const prod = await scan(false);
    const dev = all.packages.filter((p) => p.dev).map((p) => `${p.path} ${p.name}`);
    expect(dev).toContain('web/package-lock.json is-number');
    expect(dev).toContain('py/poetry.lock iniconfig');
    expect(prod.packages).toHaveLength(all.packages.length - dev.length);
    // the lockfile marks is-number dev: its node_modules copy goes with it
    const files = prod.packages.flatMap((p) => [p.path, ...(p.locations ?? [])]);
    expect(files.filter((f) => f.includes('is-number'))).toEqual([]);
    expect(all.packages.flatMap((p) => p.locations ?? [])).toContain(
      'web/node_modules/is-number/package.json',
    );
  });

  it('reports a malformed lockfile in errors[] and goes on', async () => {
    const result = await scan();
    expect(result.errors).toEqual([
      {
        analyzer: 'lang/yarn',
        path: 'broken/yarn.lock',
        message: 'yarn.lock line 3: expected a package key',
      },
    ]);
  });
});
