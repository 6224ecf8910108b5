import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

/**
 * Issue 13: `strata completion bash|zsh|fish` prints a script derived from the program; each is
 * loaded into the real shell and asked to complete what a user types.
 */
const has = (shell: string): boolean => spawnSync(shell, ['-c', 'true']).status === 0;
let work: string;

async function script(shell: string): Promise<string> {
  const run = await strata(['completion', shell]);
  expect(run.code).toBe(0);
  const file = join(work, `strata.${shell}`);
  writeFileSync(file, run.stdout);
  return file;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strata-completion-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('strata completion', () => {
  it('bash completes commands, subcommands and flags', async () => {
    const file = await script('bash');
    const complete = (words: string[]): string =>
      execFileSync('bash', [
        '-c',
        `source "$0"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _strata; echo "\${COMPREPLY[*]}"`,
        file,
      ])
        .toString()
        .trim();
    expect(complete(['strata', 'verify-'])).toBe('verify-attestation verify-bundle');
    expect(complete(['strata', 'db', 'u'])).toBe('update');
    expect(complete(['strata', 'image', '--plat'])).toBe('--platform');
    expect(complete(['strata', 'fs', '--no-'])).toBe('--no-include-dev');
    expect(complete(['strata', 'completion', '--h'])).toBe('--help');
  });

  it.skipIf(!has('zsh'))('zsh offers the same words with their descriptions', async () => {
    const file = await script('zsh');
    // outside a completion context, _describe and _files are stubbed to print what they are given
    const out = execFileSync('zsh', [
      '-c',
      `compdef() { :; }; _describe() { local a=\${@[-1]}; print -l -- \${(P)a}; }; _files() { print FILES; }
       source "$1"; words=(strata db ''); CURRENT=3; _strata; words=(strata fs ''); CURRENT=3; _strata`,
      'zsh',
      file,
    ]).toString();
    expect(out).toContain('update:download the OSV exports');
    expect(out.trim().endsWith('FILES')).toBe(true);
  });

  it.skipIf(!has('fish'))('fish completes with `complete -C`', async () => {
    const file = await script('fish');
    const out = execFileSync('fish', [
      '-c',
      `source ${file}; complete -C 'strata db u'; complete -C 'strata k8s --kube'`,
    ])
      .toString()
      .split('\n')
      .map((l) => l.split('\t')[0]);
    expect(out).toContain('update');
    expect(out).toContain('--kubeconfig');
  });

  it('refuses another shell with one usage line', async () => {
    const run = await strata(['completion', 'tcsh']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain("'tcsh' is invalid");
  });
});
