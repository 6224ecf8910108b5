import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

/**
 * Issue 13: `strata.yaml` (working directory or `--config`) and `STRATA_<FLAG>` variables, as a
 * `trivy.yaml`/`TRIVY_*` user expects; flag > environment > file > default.
 */
let work: string;
let project: string;

function dirWith(name: string, yaml?: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  if (yaml !== undefined) writeFileSync(join(dir, 'strata.yaml'), yaml);
  return dir;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strata-config-'));
  project = join(work, 'project');
  mkdirSync(project);
  // one CRITICAL secret finding (github-pat), no advisory database needed
  writeFileSync(join(project, 'app.env'), `token = "ghp_${'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5'}"\n`);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('STRATA_<FLAG> variables', () => {
  it('STRATA_SEVERITY, STRATA_EXIT_CODE and STRATA_FORMAT act as the flags', async () => {
    const cwd = dirWith('env');
    const env = { STRATA_SEVERITY: 'HIGH,CRITICAL', STRATA_EXIT_CODE: '1', STRATA_FORMAT: 'json' };
    const run = await strata(['fs', project, '--scanners', 'secret', '-q'], { cwd, env });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: { id: string }) => f.id)).toEqual(['github-pat']);
    const low = await strata(['fs', project, '--scanners', 'secret', '-q'], {
      cwd,
      env: { ...env, STRATA_SEVERITY: 'LOW' },
    });
    expect(low.code).toBe(0);
    expect(JSON.parse(low.stdout).findings).toEqual([]);
  });

  it('a flag on the command line wins over the variable', async () => {
    const run = await strata(['fs', project, '--scanners', 'secret', '-q', '--exit-code', '7'], {
      cwd: dirWith('env-flag'),
      env: { STRATA_EXIT_CODE: '1' },
    });
    expect(run.code).toBe(7);
  });
});

describe('strata.yaml', () => {
  const yaml = 'exit-code: 3\nformat: json\nscan:\n  scanners: [secret]\nfs:\n  severity: [CRITICAL]\n';

  it('is read from the working directory', async () => {
    const run = await strata(['fs', project, '-q'], { cwd: dirWith('cwd', yaml) });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).findings).toHaveLength(1);
  });

  it('is read from --config, before or after the command', async () => {
    const file = join(dirWith('named', yaml), 'strata.yaml');
    const cwd = dirWith('elsewhere');
    expect((await strata(['--config', file, 'fs', project, '-q'], { cwd })).code).toBe(3);
    expect((await strata(['fs', project, '-q', '--config', file], { cwd })).code).toBe(3);
  });

  it('ranks the environment over the file', async () => {
    const run = await strata(['fs', project, '-q'], {
      cwd: dirWith('rank', yaml),
      env: { STRATA_EXIT_CODE: '4' },
    });
    expect(run.code).toBe(4);
  });

  it('refuses an unknown key naming it (exit 2, one line, before any work)', async () => {
    const run = await strata(['fs', project], { cwd: dirWith('bad', 'fs:\n  severty: HIGH\n') });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('strata: strata.yaml: fs.severty: unknown key (not a flag of strata fs)\n');
  });
});
