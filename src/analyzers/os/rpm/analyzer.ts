import { CancelledError, errorMessage } from '../../../core/errors.js';
import type { AnalysisInput, AnalysisResult, Analyzer, FileMeta, PackageDraft } from '../../types.js';
import { readBdb } from './bdb.js';
import { type DbRecord, FORMAT_LABELS, type RpmDbFormat } from './db-record.js';
import { detectFormat } from './detect.js';
import { filesFromHeader } from './files.js';
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

type OwnedFiles = NonNullable<AnalysisResult['ownedFiles']>[number];

/**
 * Installed rpm packages from the rpm database, in any of its three formats, and the files each
 * installed (`ownedFiles`: the ground for telling language packages the OS installed).
 */
export const rpmAnalyzer: Analyzer = {
  name: 'os/rpm',
  // 2: the files of each header, as ownedFiles
  version: 2,
  maxFileSize: 512 * 1024 * 1024,

  wants: { names: DB_FILES },

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
    const owned: OwnedFiles[] = [];
    const errors: string[] = [];
    try {
      for (const record of READERS[format](input.content)) {
        if (signal.aborted) throw new CancelledError();
        if (record.kind === 'error') {
          errors.push(`${label}${record.where ? `, ${record.where}` : ''}: ${record.message}`);
          continue;
        }
        try {
          const header = RpmHeader.parse(record.blob);
          const pkg = packageFromHeader(header, input.meta.path);
          if (pkg === undefined) continue;
          packages.push(pkg);
          const files = ownedFilesOf(header, pkg, `${label}, ${record.where}`, errors);
          if (files !== undefined) owned.push(files);
        } catch (err) {
          errors.push(`${label}, ${record.where}: ${errorMessage(err)}`);
        }
      }
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      errors.push(`${label}: ${errorMessage(err)}`);
    }
    return {
      packages: packages.sort(comparePackages),
      ...(owned.length > 0 ? { ownedFiles: owned.sort(comparePackages) } : {}),
      ...(errors.length > 0 ? { errors } : {}),
    };
  },
};

/** A package whose file list is malformed is still a package: the list's problem is one error line. */
function ownedFilesOf(
  header: RpmHeader,
  pkg: PackageDraft,
  where: string,
  errors: string[],
): OwnedFiles | undefined {
  try {
    const paths = filesFromHeader(header);
    if (paths.length === 0) return undefined;
    return { type: 'rpm', name: pkg.name, ...(pkg.arch === undefined ? {} : { arch: pkg.arch }), paths };
  } catch (err) {
    errors.push(`${where}: ${pkg.name} file list: ${errorMessage(err)}`);
    return undefined;
  }
}

function comparePackages(
  a: { readonly name: string; readonly version?: string; readonly arch?: string },
  b: { readonly name: string; readonly version?: string; readonly arch?: string },
): number {
  return (
    compareText(a.name, b.name) ||
    compareText(a.version ?? '', b.version ?? '') ||
    compareText(a.arch ?? '', b.arch ?? '')
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
