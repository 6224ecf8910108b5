import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goBinaryAnalyzer } from '../../src/analyzers/lang/index.js';
import type { AnalysisResult } from '../../src/analyzers/types.js';

/**
 * Go binaries built here with the real toolchain (no network: every module is local, GOPROXY=off),
 * for several architectures and with stripped symbols, and the Go binaries installed on this machine:
 * the analyzer must list what `go version -m` lists.
 */
const pexec = promisify(execFile);
const hasGo = await pexec('go', ['version']).then(
  () => true,
  () => false,
);

let work: string;
const env = {
  ...process.env,
  GOFLAGS: '-mod=mod',
  GOPROXY: 'off',
  GOTOOLCHAIN: 'local',
  GOWORK: 'off',
  CGO_ENABLED: '0',
};

async function goVersionM(bin: string): Promise<{ stdlib: string; deps: string[] }> {
  const { stdout } = await pexec('go', ['version', '-m', bin], { env });
  const lines = stdout.split('\n');
  const stdlib = /: go(\S+)/.exec(lines[0] ?? '')?.[1] ?? '';
  const deps: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const [, tag, path, version] = (lines[i] ?? '').split('\t');
    if (tag !== 'dep' || !path || !version) continue;
    const [, next, rpath, rversion] = (lines[i + 1] ?? '').split('\t');
    const versioned = next === '=>' && rversion && rversion !== '(devel)';
    deps.push(versioned ? `${rpath}@${rversion.slice(1)}` : `${path}@${version.slice(1)}`);
  }
  return { stdlib, deps: deps.sort() };
}

async function analyze(bin: string): Promise<AnalysisResult> {
  const content = readFileSync(bin);
  const meta = { path: bin.replace(/^\//, ''), size: content.length, mode: 0o755 };
  return goBinaryAnalyzer.analyze({ meta, content }, new AbortController().signal);
}

function summary(result: AnalysisResult): { stdlib: string; deps: string[] } {
  const pkgs = result.packages ?? [];
  const full = (p: (typeof pkgs)[number]) => `${p.namespace ? `${p.namespace}/` : ''}${p.name}@${p.version}`;
  return {
    stdlib: pkgs.find((p) => p.name === 'stdlib' && !p.namespace)?.version ?? '',
    deps: pkgs
      .filter((p) => p.name !== 'stdlib' && !p.extra?.main)
      .map(full)
      .sort(),
  };
}

function writeModule(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

describe.skipIf(!hasGo)('lang/go-binary on binaries built by the Go toolchain', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'strata-go-'));
    writeModule(join(work, 'greet'), {
      'go.mod': 'module example.com/greet\n\ngo 1.21\n',
      'greet.go': 'package greet\n\nfunc Hello() string { return "hello" }\n',
    });
    writeModule(join(work, 'shout'), {
      'go.mod': 'module example.org/lib/shout\n\ngo 1.21\n',
      'shout.go':
        'package shout\n\nimport "strings"\n\nfunc Up(s string) string { return strings.ToUpper(s) }\n',
    });
    writeModule(join(work, 'app'), {
      'go.mod': [
        'module example.com/app',
        '',
        'go 1.21',
        '',
        'require (',
        '\texample.com/greet v1.4.2',
        '\texample.org/lib/shout v0.3.0',
        ')',
        '',
        'replace example.com/greet v1.4.2 => ../greet',
        'replace example.org/lib/shout => ../shout',
        '',
      ].join('\n'),
      'main.go': [
        'package main',
        '',
        'import (',
        '\t"fmt"',
        '',
        '\t"example.com/greet"',
        '\t"example.org/lib/shout"',
        ')',
        '',
        'func main() { fmt.Println(shout.Up(greet.Hello())) }',
        '',
      ].join('\n'),
    });
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each([
    ['amd64 (ELF64 little-endian)', 'amd64', []],
    ['amd64 stripped (-s -w)', 'amd64', ['-ldflags=-s -w']],
    ['386 (ELF32)', '386', []],
    ['s390x (ELF64 big-endian)', 's390x', []],
  ])(
    '%s: same stdlib and deps as `go version -m`',
    async (_, arch, flags) => {
      const bin = join(work, `app-${arch}-${flags.length}`);
      await pexec('go', ['build', '-trimpath', ...flags, '-o', bin, '.'], {
        cwd: join(work, 'app'),
        env: { ...env, GOARCH: arch },
      });
      const result = await analyze(bin);
      expect(result.errors).toBeUndefined();
      const want = await goVersionM(bin);
      expect(summary(result)).toEqual(want);
      expect(want.deps).toEqual(['example.com/greet@1.4.2', 'example.org/lib/shout@0.3.0']);
      const greet = result.packages?.find((p) => p.name === 'greet');
      expect(greet).toMatchObject({
        namespace: 'example.com',
        extra: { osvName: 'example.com/greet', replacedBy: '../greet' },
      });
    },
    300_000,
  );

  const installed = [
    '/usr/local/go/bin/go',
    '/usr/bin/skopeo',
    '/usr/bin/umoci',
    '/usr/bin/docker-registry',
    '/usr/bin/etcd',
  ];
  it.each(installed.filter((p) => existsSync(p)).map((p) => [p]))(
    'installed %s matches `go version -m`',
    async (bin) => {
      const result = await analyze(bin);
      expect(result.errors).toBeUndefined();
      expect(summary(result)).toEqual(await goVersionM(bin));
    },
  );

  it('a real non-Go ELF executable yields nothing', async () => {
    const result = await analyze('/usr/bin/env');
    expect(result).toEqual({ packages: [] });
  });
});
