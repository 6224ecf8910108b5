import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { gemspecAnalyzer, npmAnalyzer, pythonAnalyzer } from '../../src/analyzers/lang/index.js';
import { normalizePypiName } from '../../src/analyzers/lang/shared/naming.js';
import type { Analyzer, PackageDraft } from '../../src/analyzers/types.js';

/**
 * The installed-package analyzers against what the package managers themselves report on this
 * machine: npm's global tree (`npm ls -g --all`), Python's site-packages (`pip list`), and the
 * gems Debian installed (RubyGems loading each specification).
 */
const pexec = promisify(execFile);
const tool = async (cmd: string, args: string[]) =>
  pexec(cmd, args, { maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => r.stdout,
    () => undefined,
  );

/** Walks a directory as the layer walker would (regular files, no symlinks), running one analyzer. */
async function walk(
  analyzer: Analyzer,
  root: string,
): Promise<{ packages: PackageDraft[]; errors: string[] }> {
  const packages: PackageDraft[] = [];
  const errors: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await visit(full);
      if (!entry.isFile()) continue;
      const st = lstatSync(full);
      const meta = { path: full.slice(1), size: st.size, mode: st.mode & 0o7777 };
      if (!analyzer.required(meta)) continue;
      const r = await analyzer.analyze({ meta, content: readFileSync(full) }, new AbortController().signal);
      packages.push(...(r.packages ?? []));
      errors.push(...(r.errors ?? []));
    }
  };
  await visit(root);
  return { packages, errors };
}

const full = (p: PackageDraft) => `${p.extra?.osvName ?? p.name}@${p.version}`;
const unique = (xs: string[]) => [...new Set(xs)].sort();

const npmRoot = (await tool('npm', ['root', '-g']))?.trim();
const npmTree = await tool('npm', ['ls', '-g', '--all', '--json']);
const pipList = await tool('python3', ['-m', 'pip', 'list', '--format', 'json']);
const sitePackages = (await tool('python3', ['-c', 'import site; print(site.getsitepackages()[0])']))?.trim();
const GEMS = '/usr/share/rubygems-integration/all/specifications';
const rubyGems = existsSync(GEMS)
  ? await tool('ruby', [
      '-e',
      `Dir["${GEMS}/*.gemspec"].each { |f| s = Gem::Specification.load(f); puts "#{s.name}@#{s.version}" }`,
    ])
  : undefined;

describe('installed packages on this machine', () => {
  it.skipIf(!npmRoot || !npmTree)('lang/npm finds every package `npm ls -g --all` lists', async () => {
    const want = new Set<string>();
    const flatten = (deps: unknown) => {
      for (const [name, v] of Object.entries(
        (deps ?? {}) as Record<string, { version?: string; dependencies?: unknown }>,
      )) {
        if (v.version) want.add(`${name}@${v.version}`);
        flatten(v.dependencies);
      }
    };
    flatten((JSON.parse(npmTree!) as { dependencies?: unknown }).dependencies);
    const got = await walk(npmAnalyzer, npmRoot!);
    expect(got.errors).toEqual([]);
    expect(unique(got.packages.map(full))).toEqual([...want].sort());
    expect(want.size).toBeGreaterThan(10);
  });

  it.skipIf(!pipList || !sitePackages)('lang/python finds every distribution `pip list` lists', async () => {
    const want = (JSON.parse(pipList!) as { name: string; version: string }[]).map(
      (p) => `${normalizePypiName(p.name)}@${p.version}`,
    );
    const got = await walk(pythonAnalyzer, sitePackages!);
    expect(got.errors).toEqual([]);
    expect(unique(got.packages.map((p) => `${normalizePypiName(p.name)}@${p.version}`))).toEqual(
      unique(want),
    );
  });

  it.skipIf(!rubyGems)('lang/gemspec reads what RubyGems loads from Debian specifications', async () => {
    const got = await walk(gemspecAnalyzer, GEMS);
    expect(got.errors).toEqual([]);
    expect(unique(got.packages.map(full))).toEqual(unique(rubyGems!.trim().split('\n')));
  });
});
