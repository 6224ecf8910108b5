import { CancelledError, errorMessage } from '../../../core/errors.js';
import type { AnalysisInput, AnalysisResult, Analyzer, FileMeta, PackageDraft } from '../../types.js';
import { readBdb } from './bdb.js';
import { type DbRecord, FORMAT_LABELS, type RpmDbFormat } from './db-record.js';
import { detectFormat } from './detect.js';
import { RpmHeader } from './header.js';
import { readNdb } from './ndb.js';
import { packageFromHeader } from './package.js';
import { readSqlite } from './sqlite.js';

const DB_DIRS = ['var/lib/rpm', 'usr/lib/sysimage/rpm', 'usr/share/rpm'];
const DB_FILES = ['Packages', 'Packages.db', 'rpmdb.sqlite'];
const REQUIRED_PATHS = new Set(DB_DIRS.flatMap((dir) => DB_FILES.map((file) => `${dir}/${file}`)));

const READERS: Readonly<Record<RpmDbFormat, (content: Buffer) => Iterable<DbRecord>>> = {
  sqlite: readSqlite,
  bdb: readBdb,
  ndb: readNdb,
};

/** Installed rpm packages from the rpm database, in any of its three formats. */
export const rpmAnalyzer: Analyzer = {
  name: 'os/rpm',
  version: 1,
  maxFileSize: 512 * 1024 * 1024,

  required(file: FileMeta): boolean {
    return REQUIRED_PATHS.has(file.path);
  },

  async analyze(input: AnalysisInput, signal: AbortSignal): Promise<AnalysisResult> {
    const format = detectFormat(input.content);
    if (format === undefined) {
      return { errors: ['not an rpm database: no sqlite, BerkeleyDB hash or NDB magic'] };
    }
    const label = FORMAT_LABELS[format];
    const packages: PackageDraft[] = [];
    const errors: string[] = [];
    try {
      for (const record of READERS[format](input.content)) {
        if (signal.aborted) throw new CancelledError();
        if (record.kind === 'error') {
          errors.push(`${label}${record.where ? `, ${record.where}` : ''}: ${record.message}`);
          continue;
        }
        try {
          const pkg = packageFromHeader(RpmHeader.parse(record.blob), input.meta.path);
          if (pkg !== undefined) packages.push(pkg);
        } catch (err) {
          errors.push(`${label}, ${record.where}: ${errorMessage(err)}`);
        }
      }
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      errors.push(`${label}: ${errorMessage(err)}`);
    }
    return { packages: packages.sort(comparePackages), ...(errors.length > 0 ? { errors } : {}) };
  },
};

function comparePackages(a: PackageDraft, b: PackageDraft): number {
  return (
    compareText(a.name, b.name) ||
    compareText(a.version, b.version) ||
    compareText(a.arch ?? '', b.arch ?? '')
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
