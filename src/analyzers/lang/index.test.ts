import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_ANALYZERS } from './index.js';

const folderOf = (name: string) => new URL(`./${name.replace(/^lang\//, '')}/`, import.meta.url);

describe('LANGUAGE_ANALYZERS', () => {
  it('has unique `lang/` names in sorted order, each with a positive integer version', () => {
    const names = LANGUAGE_ANALYZERS.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...names].sort());
    for (const a of LANGUAGE_ANALYZERS) {
      expect(a.name).toMatch(/^lang\/[a-z0-9-]+$/);
      expect(Number.isInteger(a.version) && a.version > 0).toBe(true);
    }
  });

  it.each(LANGUAGE_ANALYZERS.map((a) => [a.name]))(
    '%s lives in its own folder with a test and real fixtures',
    (name) => {
      const folder = folderOf(name);
      expect(existsSync(new URL('analyzer.test.ts', folder))).toBe(true);
      expect(existsSync(new URL('fixtures/SOURCE', folder))).toBe(true);
      expect(readdirSync(new URL('fixtures/', folder)).length).toBeGreaterThan(1);
    },
  );

  it('lists every analyzer folder', () => {
    const folders = readdirSync(new URL('./', import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'shared')
      .map((d) => `lang/${d.name}`)
      .sort();
    expect(LANGUAGE_ANALYZERS.map((a) => a.name)).toEqual(folders);
  });

  it('stops before work when the scan is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    for (const a of LANGUAGE_ANALYZERS) {
      const input = { meta: { path: 'x', size: 2, mode: 0o644 }, content: Buffer.from('{}') };
      await expect(a.analyze(input, controller.signal)).rejects.toThrow();
    }
  });

  it('never throws from analyze() on garbage bytes', async () => {
    const garbage = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0xff, 0xff, 0x00, 0x01, 0x02]);
    for (const a of LANGUAGE_ANALYZERS) {
      const result = await a.analyze(
        { meta: { path: 'x/garbage', size: garbage.length, mode: 0o755 }, content: garbage },
        new AbortController().signal,
      );
      expect(Array.isArray(result.packages)).toBe(true);
    }
  });
});

describe('which analyzer claims a file', () => {
  it.each([
    ['app/node_modules/debug/package.json', 'lang/npm'],
    ['app/package-lock.json', 'lang/npm-lock'],
    ['app/yarn.lock', 'lang/yarn'],
    ['app/pnpm-lock.yaml', 'lang/pnpm'],
    ['usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO', 'lang/python'],
    ['app/requirements.txt', 'lang/pip'],
    ['app/poetry.lock', 'lang/poetry'],
    ['app/Pipfile.lock', 'lang/pipenv'],
    ['app/uv.lock', 'lang/uv'],
    ['app/go.mod', 'lang/go-mod'],
    ['opt/app/app.jar', 'lang/java-archive'],
    ['app/pom.xml', 'lang/maven-pom'],
    ['app/gradle.lockfile', 'lang/gradle-lock'],
    ['usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec', 'lang/gemspec'],
    ['app/Gemfile.lock', 'lang/bundler'],
    ['app/Cargo.lock', 'lang/cargo-lock'],
    ['var/www/vendor/composer/installed.json', 'lang/composer'],
    ['var/www/composer.lock', 'lang/composer-lock'],
    ['app/Web.deps.json', 'lang/dotnet-deps'],
    ['app/packages.lock.json', 'lang/nuget-lock'],
  ])('%s -> only %s', (path, owner) => {
    const claims = LANGUAGE_ANALYZERS.filter((a) => a.required({ path, size: 10_000, mode: 0o644 }));
    expect(claims.map((a) => a.name)).toEqual([owner]);
  });

  it('an executable is offered to the two binary analyzers only', () => {
    const claims = LANGUAGE_ANALYZERS.filter((a) =>
      a.required({ path: 'usr/bin/app', size: 5_000_000, mode: 0o755 }),
    );
    expect(claims.map((a) => a.name)).toEqual(['lang/go-binary', 'lang/rust-binary']);
  });
});
