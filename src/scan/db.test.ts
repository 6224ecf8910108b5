import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { advisoryDbStatus, importAdvisories } from './db.js';

describe('advisory database orchestration', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('imports the demo advisories with progress, closes the database, then reports them read-only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-scan-db-'));
    dirs.push(dir);
    const db = join(dir, 'strata.db');
    const sources: string[] = [];
    const { path, counts } = await importAdvisories([], {
      db,
      demo: true,
      onProgress: (_c, s) => sources.push(s),
    });
    expect(path).toBe(db);
    expect(counts.imported).toBeGreaterThan(0);
    expect(sources.length).toBeGreaterThan(0);
    const status = advisoryDbStatus(db);
    expect(status.path).toBe(db);
    expect(status.advisories).toBe(counts.imported - counts.withdrawn);
    expect(status.ecosystems.length).toBeGreaterThan(0);
  });

  it('refuses a status of a database that does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-scan-db-'));
    dirs.push(dir);
    expect(() => advisoryDbStatus(join(dir, 'missing.db'))).toThrow();
  });
});
