import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

const DSA = fileURLToPath(new URL('../../src/vuln/fixtures/osv/DSA-5532-1.json', import.meta.url));
const CARGO_LOCK = fileURLToPath(
  new URL('../../src/analyzers/lang/cargo-lock/fixtures/Cargo.lock', import.meta.url),
);

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-coverage-'));
  mkdirSync(join(dir, 'app'));
  copyFileSync(CARGO_LOCK, join(dir, 'app', 'Cargo.lock'));
  const imported = await strata(['db', 'import', DSA, '--db', join(dir, 'strata.db')]);
  expect(imported.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a scan of an ecosystem the database holds no advisories for', () => {
  it('warns on stderr and adds an errors[] entry instead of a silent "0 findings"', async () => {
    // the database has Debian advisories only; the project is a Rust one
    const run = await strata(['fs', join(dir, 'app'), '--db', join(dir, 'strata.db'), '--format', 'json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      packages: unknown[];
      findings: unknown[];
      errors: { analyzer: string; message: string }[];
    };
    expect(result.packages.length).toBeGreaterThan(0);
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([
      {
        analyzer: 'vuln/osv',
        message: expect.stringMatching(
          /^no advisories for crates\.io in the database .*strata\.db: \d+ packages? not checked/,
        ),
      },
    ]);
    expect(run.stderr).toMatch(/warning: no advisories for crates\.io in the database/);
  });
});
