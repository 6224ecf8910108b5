import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HttpClient, type HttpClientOptions } from '../../transport/index.js';
import { VulnError } from '../errors.js';
import { downloadExport } from './download.js';
import { assertExportAcceptable } from './export-check.js';
import { emptyCounts, type ImportCounts, importOsv } from './import.js';
import { META_UPDATED_AT } from './status.js';
import { openAdvisoryDb } from './store.js';

/** The OSV project's public bucket: `<mirror>/<Ecosystem>/all.zip`. */
export const DEFAULT_MIRROR = 'https://osv-vulnerabilities.storage.googleapis.com';

/** The ecosystems Strata inventories, downloaded by default. */
export const DEFAULT_ECOSYSTEMS: readonly string[] = [
  'Alpine',
  'Debian',
  'Go',
  'Maven',
  'NuGet',
  'Packagist',
  'PyPI',
  'RubyGems',
  'Ubuntu',
  'crates.io',
  'npm',
];

export type UpdateProgress =
  | {
      readonly phase: 'download';
      readonly ecosystem: string;
      readonly bytes: number;
      readonly total?: number;
    }
  | { readonly phase: 'not-modified'; readonly ecosystem: string }
  | { readonly phase: 'import'; readonly ecosystem: string; readonly counts: Readonly<ImportCounts> };

export interface UpdateOptions {
  readonly mirror?: string;
  readonly ecosystems?: readonly string[];
  readonly offline?: boolean;
  readonly onProgress?: (p: UpdateProgress) => void;
  /** ends the whole update (the command's --timeout) */
  readonly signal?: AbortSignal;
  /** transport options (tests: retry timing, caps, proxy environment) */
  readonly http?: HttpClientOptions;
}

export interface EcosystemUpdate {
  readonly ecosystem: string;
  readonly url: string;
  readonly notModified: boolean;
  readonly counts: ImportCounts;
  readonly removed: number;
}

export interface UpdateResult {
  readonly path: string;
  readonly ecosystems: readonly EcosystemUpdate[];
}

function exportUrl(mirror: string, ecosystem: string): string {
  return `${mirror.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
}

/**
 * Downloads each ecosystem's OSV export (conditionally: ETag / Last-Modified remembered per ecosystem),
 * imports it into a copy of the database, and swaps the copy in with one rename: readers see the old
 * database or the new one, never a half-written file. Advisories an export no longer lists are removed.
 */
export async function updateDb(dbPath: string, opts: UpdateOptions = {}): Promise<UpdateResult> {
  if (opts.offline) {
    throw new VulnError(
      'OFFLINE',
      'db update downloads advisories but --offline was given: use "strata db import <path>" with a downloaded export',
    );
  }
  const mirror = opts.mirror ?? DEFAULT_MIRROR;
  const ecosystems = [...new Set(opts.ecosystems?.length ? opts.ecosystems : DEFAULT_ECOSYSTEMS)].sort();
  const http = new HttpClient({
    userAgent: 'strata-db-update',
    ...opts.http,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  await mkdir(dirname(dbPath), { recursive: true });
  const work = await mkdtemp(join(dirname(dbPath), '.strata-update-'));
  const tempDb = join(work, 'strata.db');
  try {
    if (existsSync(dbPath)) await copyFile(dbPath, tempDb);
    const db = openAdvisoryDb(tempDb);
    const results: EcosystemUpdate[] = [];
    try {
      for (const ecosystem of ecosystems) {
        const url = exportUrl(mirror, ecosystem);
        const key = (f: string): string => `source:${ecosystem}:${f}`;
        const sameUrl = db.getMeta(key('url')) === url;
        const zipPath = join(work, `${ecosystem.replace(/[^A-Za-z0-9.-]/g, '_')}.zip`);
        const got = await downloadExport(
          http,
          url,
          sameUrl ? { etag: db.getMeta(key('etag')), lastModified: db.getMeta(key('last_modified')) } : {},
          zipPath,
          (bytes, total) =>
            opts.onProgress?.({ phase: 'download', ecosystem, bytes, ...(total ? { total } : {}) }),
        );
        const fetchedAt = new Date().toISOString();
        if (got.notModified) {
          opts.onProgress?.({ phase: 'not-modified', ecosystem });
          db.setMeta(key('fetched_at'), fetchedAt);
          results.push({ ecosystem, url, notModified: true, counts: emptyCounts(), removed: 0 });
          continue;
        }
        const seen = new Set<string>();
        const origin = `export:${ecosystem}`;
        const counts = await importOsv(
          db,
          [zipPath],
          (c) => opts.onProgress?.({ phase: 'import', ecosystem, counts: c }),
          { origin, seen },
        );
        const removed = db.transaction(() => db.pruneOrigin(origin, seen));
        // validate, then swap: a bad export fails the update here, before the rename, so the
        // database in place stays as it was
        assertExportAcceptable({ ecosystem, url, counts, kept: seen.size, removed });
        db.transaction(() => {
          db.setMeta(key('url'), url);
          db.setMeta(key('etag'), got.etag ?? '');
          db.setMeta(key('last_modified'), got.lastModified ?? '');
          db.setMeta(key('fetched_at'), fetchedAt);
        });
        await rm(zipPath, { force: true });
        results.push({ ecosystem, url, notModified: false, counts, removed });
      }
      db.setMeta(META_UPDATED_AT, new Date().toISOString());
    } finally {
      db.close();
    }
    await rename(tempDb, dbPath);
    return { path: dbPath, ecosystems: results };
  } finally {
    await rm(work, { recursive: true, force: true });
    await http.close();
  }
}
