import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerDb } from '../../src/cli/commands/db.js';

const FIXTURES = fileURLToPath(new URL('../../src/vuln/fixtures/osv/', import.meta.url));

/** Runs `strata db ...` in-process and captures what a user would see. */
async function strata(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command('strata').exitOverride();
  registerDb(program);
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'strata', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stdout, stderr };
}

describe('strata db', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-db-cli-'));
    db = join(dir, 'strata.db');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());

  it('status without a database exits 2 with one clear line', async () => {
    const r = await strata('db', 'status', '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^strata: no advisory database at .*strata\.db: run "strata db update"/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('import counts records and names bad ones on stderr', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"id": "BAD-1"}');
    const r = await strata(
      'db',
      'import',
      FIXTURES,
      join(dir, 'bad.json'),
      '--db',
      db,
      '--format',
      'json',
      '-q',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ path: db, imported: 12, withdrawn: 1, bad: 1 });
    expect(out.badRecords).toEqual([
      { source: join(dir, 'bad.json'), message: 'modified: expected string, got undefined' },
    ]);
  });

  it('import again is idempotent', async () => {
    const r = await strata('db', 'import', FIXTURES, '--db', db);
    expect(r.stdout).toBe(`${db}: imported 0, replaced 0, skipped 13, withdrawn 0, bad 0\n`);
  });

  it('status lists ecosystems and counts, as a table and as JSON', async () => {
    const table = await strata('db', 'status', '--db', db);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Advisories: 12 (1 withdrawn)');
    expect(table.stdout).toMatch(/Debian:12\s+6\n/);
    const json = JSON.parse((await strata('db', 'status', '--db', db, '--format', 'json')).stdout);
    expect(json.ecosystems).toContainEqual({ ecosystem: 'Ubuntu:22.04:LTS', advisories: 1 });
    expect(json.updatedAt).toMatch(/^\d{4}-/);
  });

  it('import --demo loads the bundled records', async () => {
    const r = await strata('db', 'import', '--demo', '--db', join(dir, 'demo.db'), '--format', 'json', '-q');
    expect(JSON.parse(r.stdout)).toMatchObject({ bad: 0 });
  });

  it('update --offline refuses clearly', async () => {
    const r = await strata('db', 'update', '--offline', '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--offline was given/);
  });

  it('import of a missing path exits 2', async () => {
    const r = await strata('db', 'import', join(dir, 'nope'), '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope: no such file or directory/);
  });
});
