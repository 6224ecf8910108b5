import { fileURLToPath } from 'node:url';
import { importOsv } from './db/import.js';
import { openAdvisoryDb } from './db/store.js';

/**
 * The bundled demo advisories: real OSV records (see data/demo-osv/SOURCE.md). `src/vuln/` and
 * `dist/vuln/` both sit two levels below the package root.
 */
export const DEMO_OSV_DIR = fileURLToPath(new URL('../../data/demo-osv/', import.meta.url));

/** Creates (or refreshes, idempotently) an advisory database at `path` from the bundled demo records. */
export async function ensureDemoDb(path: string): Promise<{ path: string; advisories: number }> {
  const db = openAdvisoryDb(path);
  try {
    await importOsv(db, [DEMO_OSV_DIR]);
    return { path, advisories: db.counts().advisories };
  } finally {
    db.close();
  }
}
