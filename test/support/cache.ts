import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where expensive fixtures (debootstrap images) are built once and reused by every test file. */
export const CACHE_ROOT = process.env.STRATA_TEST_CACHE ?? join(process.cwd(), '.cache', 'test-fixtures');

const pending = new Map<string, Promise<string>>();

/**
 * Builds a fixture directory once: `build(dir)` runs into a fresh directory, and a `.done`
 * marker makes later calls (in this run or the next) reuse it. A failed build leaves nothing.
 */
export function ensureFixture(name: string, build: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(CACHE_ROOT, name);
  const existing = pending.get(name);
  if (existing) return existing;
  const p = (async () => {
    if (existsSync(join(dir, '.done'))) return dir;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      await build(dir);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    writeFileSync(join(dir, '.done'), new Date().toISOString());
    return dir;
  })();
  pending.set(name, p);
  return p;
}
