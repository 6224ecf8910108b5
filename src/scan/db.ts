import {
  type DbStatus,
  DEMO_OSV_DIR,
  dbStatus,
  defaultDbPath,
  type ImportCounts,
  importOsv,
  openAdvisoryDb,
} from '../vuln/index.js';

export interface AdvisoryImportOptions {
  /** the advisory database (default: $STRATA_DB or ~/.cache/strata/db/strata.db) */
  readonly db?: string;
  /** also import the bundled demo advisories */
  readonly demo?: boolean;
  /** running counts after each source file */
  readonly onProgress?: (counts: ImportCounts, source: string) => void;
}

export interface AdvisoryImport {
  /** the database written */
  readonly path: string;
  readonly counts: ImportCounts;
}

/** `strata db import`: OSV exports (zips, directories, trees) into the database, which is closed after. */
export async function importAdvisories(
  paths: readonly string[],
  options: AdvisoryImportOptions = {},
): Promise<AdvisoryImport> {
  const sources = [...paths, ...(options.demo ? [DEMO_OSV_DIR] : [])];
  const path = options.db ?? defaultDbPath();
  const store = openAdvisoryDb(path);
  try {
    const counts = await importOsv(store, sources, options.onProgress);
    return { path, counts };
  } finally {
    store.close();
  }
}

/** `strata db status` (and the server's health view): what the database holds, opened read-only. */
export function advisoryDbStatus(db?: string): DbStatus {
  const store = openAdvisoryDb(db ?? defaultDbPath(), { readonly: true });
  try {
    return dbStatus(store);
  } finally {
    store.close();
  }
}
