import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

/**
 * Issue 13: a Trivy user's plain `.trivyignore` (one id a line, `#` comments, `exp:` dates) is read
 * from the working directory when no `--ignorefile` is named, and the CLI says which file it used.
 */
let work: string;
let project: string;

function inDir(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

async function scan(cwd: string) {
  const run = await strata(['fs', project, '--scanners', 'secret', '-f', 'json', '--exit-code', '1'], {
    cwd,
  });
  const result = JSON.parse(run.stdout) as { findings: { id: string }[]; suppressed?: { id: string }[] };
  return { run, result };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strata-trivyignore-'));
  project = join(work, 'project');
  mkdirSync(project);
  // a GitHub token shape the secret scanner reports as github-pat
  writeFileSync(join(project, 'config.env'), `token = "ghp_${'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5'}"\n`);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ignore files found in the working directory', () => {
  it('reports the finding when there is no ignore file', async () => {
    const { run, result } = await scan(inDir('none', {}));
    expect(run.code).toBe(1);
    expect(result.findings.map((f) => f.id)).toEqual(['github-pat']);
    expect(run.stderr).not.toContain('ignore file');
  });

  it("reads Trivy's plain .trivyignore and says so", async () => {
    const cwd = inDir('trivy', {
      '.trivyignore': '# accepted\nCVE-2023-43804 exp:2099-01-01\ngithub-pat\n',
    });
    const { run, result } = await scan(cwd);
    expect(run.code).toBe(0);
    expect(result.findings).toEqual([]);
    expect(result.suppressed?.map((f) => f.id)).toEqual(['github-pat']);
    expect(run.stderr).toContain('ignore file .trivyignore: 2 entries\n');
  });

  it('no longer ignores a .trivyignore entry past its exp: date, with a warning', async () => {
    const cwd = inDir('expired', { '.trivyignore': 'github-pat exp:2020-01-01\n' });
    const { run, result } = await scan(cwd);
    expect(run.code).toBe(1);
    expect(result.findings.map((f) => f.id)).toEqual(['github-pat']);
    expect(run.stderr).toContain('github-pat expired on 2020-01-01');
  });

  it('prefers .strataignore over .trivyignore', async () => {
    const cwd = inDir('both', {
      '.strataignore': 'ignore:\n  - id: CVE-1\n',
      '.trivyignore': 'github-pat\n',
    });
    const { run, result } = await scan(cwd);
    expect(run.code).toBe(1);
    expect(result.findings.map((f) => f.id)).toEqual(['github-pat']);
    expect(run.stderr).toContain('ignore file .strataignore: 1 entry\n');
  });

  it('refuses a malformed .trivyignore line before scanning (exit 2, naming the line)', async () => {
    const cwd = inDir('bad', { '.trivyignore': 'github-pat\nCVE-1 expires:2024-01-01\n' });
    const run = await strata(['fs', project, '--scanners', 'secret'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^strata: \.trivyignore:2: expected "ID" or "ID exp:YYYY-MM-DD"/);
  });
});
