import { describe, expect, it } from 'vitest';
import type { Package } from '../core/types.js';
import { mergeInstalledCopies, originOf } from './merge.js';

const pkg = (ecosystem: string, path: string, rest: Partial<Package> = {}): Package => ({
  name: 'x',
  version: '1.0.0',
  ecosystem,
  purl: `pkg:generic/x@1.0.0`,
  path,
  ...rest,
});

describe('originOf', () => {
  it.each([
    ['npm', 'app/package-lock.json', 'app', 'lock'],
    ['npm', 'package-lock.json', '', 'lock'],
    ['npm', 'app/yarn.lock', 'app', 'lock'],
    ['npm', 'app/pnpm-lock.yaml', 'app', 'lock'],
    ['npm', 'app/node_modules/x/package.json', 'app', 'installed'],
    ['npm', 'app/node_modules/@s/y/node_modules/x/package.json', 'app', 'installed'],
    ['npm', 'node_modules/x/package.json', '', 'installed'],
    ['npm', 'app/node_modules/.pnpm/x@1.0.0/node_modules/x/package.json', 'app', 'installed'],
    ['PyPI', 'srv/poetry.lock', 'srv', 'lock'],
    ['PyPI', 'srv/requirements-dev.txt', 'srv', 'lock'],
    ['PyPI', 'srv/requirements/base.txt', 'srv', 'lock'],
    ['PyPI', 'srv/.venv/lib/python3.12/site-packages/x-1.0.0.dist-info/METADATA', 'srv', 'installed'],
    ['PyPI', 'srv/lib/python3.12/site-packages/x-1.0.0.dist-info/METADATA', 'srv', 'installed'],
    ['PyPI', 'usr/lib/python3/dist-packages/x-1.0.0.egg-info', 'usr', 'installed'],
    ['RubyGems', 'app/Gemfile.lock', 'app', 'lock'],
    ['RubyGems', 'app/vendor/bundle/ruby/3.2.0/specifications/x-1.0.0.gemspec', 'app', 'installed'],
    ['crates.io', 'app/Cargo.lock', 'app', 'lock'],
    ['crates.io', 'app/target/release/app', 'app', 'installed'],
    ['crates.io', 'app/target/x86_64-unknown-linux-musl/release/app', 'app', 'installed'],
    ['Packagist', 'web/composer.lock', 'web', 'lock'],
    ['Packagist', 'web/vendor/composer/installed.json', 'web', 'installed'],
  ])('%s %s belongs to %j as a %s', (ecosystem, path, root, role) => {
    expect(originOf({ ecosystem, path })).toMatchObject({ root, role });
  });

  it('offers the deeper projects of a nested node_modules copy, innermost last', () => {
    expect(
      originOf({ ecosystem: 'npm', path: 'usr/lib/node_modules/npm/node_modules/ms/package.json' }),
    ).toEqual({
      root: 'usr/lib',
      role: 'installed',
      inner: ['usr/lib/node_modules/npm'],
    });
  });

  it.each([
    ['Debian:12', 'var/lib/dpkg/status'],
    ['Go', 'usr/bin/app'],
    ['Maven', 'app/lib/x.jar'],
    ['RubyGems', 'usr/local/bundle/specifications/x-1.0.0.gemspec'],
    ['crates.io', 'usr/local/bin/app'],
    ['npm', 'app/package.json'],
  ])('%s %s has no project to merge in', (ecosystem, path) => {
    expect(originOf({ ecosystem, path })).toBeUndefined();
  });
});

describe('mergeInstalledCopies', () => {
  describe('when a lockfile and node_modules hold the same package', () => {
    const merged = mergeInstalledCopies([
      pkg('npm', 'app/node_modules/x/package.json', { licenses: ['MIT'], layer: 'sha256:b' }),
      pkg('npm', 'app/package-lock.json', { dev: true, layer: 'sha256:a' }),
    ]);

    it('lists one package led by the lockfile, with both files', () => {
      expect(merged).toEqual([
        {
          ...pkg('npm', 'app/package-lock.json'),
          layer: 'sha256:a',
          licenses: ['MIT'],
          dev: true,
          locations: ['app/node_modules/x/package.json', 'app/package-lock.json'],
        },
      ]);
    });
  });

  it('keeps copies of different projects, versions or ecosystems apart', () => {
    const packages = [
      pkg('npm', 'a/package-lock.json'),
      pkg('npm', 'b/node_modules/x/package.json'),
      pkg('npm', 'a/node_modules/x/package.json', { version: '2.0.0' }),
      pkg('PyPI', 'a/requirements.txt'),
    ];
    expect(mergeInstalledCopies(packages)).toEqual(packages);
  });

  describe('when a package installed globally has its own lockfile', () => {
    const merged = mergeInstalledCopies([
      pkg('npm', 'usr/lib/node_modules/npm/package-lock.json'),
      pkg('npm', 'usr/lib/node_modules/npm/node_modules/x/package.json'),
      pkg('npm', 'usr/lib/node_modules/other/node_modules/x/package.json'),
    ]);

    it("merges the copy under it with that lockfile, and leaves another package's copy apart", () => {
      expect(merged.map((p) => [p.path, p.locations])).toEqual([
        [
          'usr/lib/node_modules/npm/package-lock.json',
          [
            'usr/lib/node_modules/npm/node_modules/x/package.json',
            'usr/lib/node_modules/npm/package-lock.json',
          ],
        ],
        ['usr/lib/node_modules/other/node_modules/x/package.json', undefined],
      ]);
    });
  });

  it('never merges OS packages, even listed twice', () => {
    const packages = [pkg('Debian:12', 'var/lib/dpkg/status'), pkg('Debian:12', 'var/lib/dpkg/status')];
    expect(mergeInstalledCopies(packages)).toHaveLength(2);
  });

  it.each([
    ['every lockfile entry is dev', [true, true], true],
    ['one lockfile entry is a production dependency', [true, false], false],
  ])('is dev-only when %s', (_, devs, expected) => {
    const [merged, ...rest] = mergeInstalledCopies([
      pkg('npm', 'app/node_modules/x/package.json'),
      ...devs.map((dev) => pkg('npm', 'app/package-lock.json', dev ? { dev } : {})),
    ]);
    expect(rest).toEqual([]);
    expect(merged?.dev === true).toBe(expected);
    // the same file twice is one location: the package is listed once with its two files
    expect(merged?.locations).toEqual(['app/node_modules/x/package.json', 'app/package-lock.json']);
  });

  it('keeps fields only an installed copy has (ownership marks added by later passes)', () => {
    const [merged] = mergeInstalledCopies([
      pkg('PyPI', 'srv/.venv/lib/python3.12/site-packages/x-1.0.0.dist-info/METADATA', {
        extra: { owner: 'python3-x' },
      }),
      pkg('PyPI', 'srv/poetry.lock'),
    ]);
    expect(merged?.path).toBe('srv/poetry.lock');
    expect(merged?.extra).toEqual({ owner: 'python3-x' });
  });

  it('merges installed copies without a lockfile, and is dev only when all are', () => {
    const [merged] = mergeInstalledCopies([
      pkg('npm', 'app/node_modules/y/node_modules/x/package.json'),
      pkg('npm', 'app/node_modules/x/package.json'),
    ]);
    expect(merged).toEqual({
      ...pkg('npm', 'app/node_modules/x/package.json'),
      locations: ['app/node_modules/x/package.json', 'app/node_modules/y/node_modules/x/package.json'],
    });
  });
});
