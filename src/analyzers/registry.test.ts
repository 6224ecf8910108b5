import { describe, expect, it } from 'vitest';
import { ANALYZERS } from './registry.js';

/** Paths every analyzer of the registry wants somewhere, and neighbours that look like them. */
const PATHS = [
  'etc/os-release',
  'usr/lib/os-release',
  'etc/lsb-release',
  'etc/debian_version',
  'etc/alpine-release',
  'etc/redhat-release',
  'etc/system-release',
  'etc/centos-release',
  'etc/fedora-release',
  'etc/SuSE-release',
  'usr/lib/os-release.d/x',
  'lib/apk/db/installed',
  'var/lib/rpm/Packages',
  'var/lib/rpm/Packages.db',
  'var/lib/rpm/rpmdb.sqlite',
  'usr/lib/sysimage/rpm/rpmdb.sqlite',
  'usr/share/rpm/Packages',
  'var/lib/dpkg/status',
  'var/lib/dpkg/status.d/base',
  'var/lib/dpkg/info/bash.list',
  'usr/share/doc/bash/copyright',
  'app/Gemfile.lock',
  'app/gems.locked',
  'app/Cargo.lock',
  'app/composer.lock',
  'app/vendor/composer/installed.json',
  'app/bin/App.deps.json',
  'usr/local/bundle/specifications/rails-7.0.gemspec',
  'app/go.mod',
  'app/vendor/x/go.mod',
  'app/gradle.lockfile',
  'app/buildscript-gradle.lockfile',
  'app/lib/app.jar',
  'app/lib/APP.WAR',
  'app/x.ear',
  'app/x.hpi',
  'app/pom.xml',
  'app/package-lock.json',
  'app/npm-shrinkwrap.json',
  'app/node_modules/left-pad/package.json',
  'app/node_modules/@scope/pkg/package.json',
  'app/package.json',
  'app/packages.lock.json',
  'app/requirements.txt',
  'app/requirements-dev.txt',
  'app/requirements/base.txt',
  'app/Pipfile.lock',
  'app/pnpm-lock.yaml',
  'app/poetry.lock',
  'app/pyproject.toml',
  'usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA',
  'usr/lib/python3/site-packages/x.egg-info/PKG-INFO',
  'usr/lib/python3/site-packages/x/EGG-INFO/PKG-INFO',
  'usr/lib/python3/site-packages/x.egg-info',
  'usr/lib/python3/site-packages/.egg-info',
  'app/uv.lock',
  'app/yarn.lock',
  'usr/bin/env',
  'README',
  '.bashrc',
];

function matches(
  path: string,
  wants: { names?: readonly string[]; extensions?: readonly string[] },
): boolean {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  const base = path.slice(slash + 1);
  const ext = dot > slash ? path.slice(dot + 1).toLowerCase() : undefined;
  return (
    (wants.names ?? []).includes(base) ||
    (ext !== undefined && (wants.extensions ?? []).map((e) => e.toLowerCase()).includes(ext))
  );
}

describe('analyzer registry', () => {
  it("declares in `wants` every file an analyzer's required() takes (the walker asks only about those)", () => {
    let checked = 0;
    for (const { analyzer } of ANALYZERS) {
      if (!analyzer.wants) continue;
      for (const path of PATHS) {
        for (const mode of [0o100644, 0o100755]) {
          const meta = { path, size: 4096, mode };
          if (analyzer.required(meta)) {
            checked += 1;
            expect(matches(path, analyzer.wants), `${analyzer.name} wants ${path}`).toBe(true);
          }
        }
      }
    }
    // the corpus reaches the analyzers: a check over no wanted file would prove nothing
    expect(checked).toBeGreaterThan(40);
  });

  it('leaves `wants` off only the analyzers that look at every file (mode, path prefix, content)', () => {
    const open = ANALYZERS.filter((a) => !a.analyzer.wants).map((a) => a.analyzer.name);
    expect(open.sort()).toEqual(['lang/go-binary', 'lang/rust-binary', 'os/dpkg', 'secret/builtin']);
  });
});
