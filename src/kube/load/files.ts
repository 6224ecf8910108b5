import { lstat, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { walkTree } from '../../core/safe-walk.js';
import type { ScanError } from '../../core/types.js';
import { CHART_FILE } from '../helm/index.js';
import { KUSTOMIZATION_FILES, kustomizationFile } from '../kustomize/index.js';
import { KubeLoadError } from './errors.js';
import { LOADER_NAME } from './types.js';

/** Directories never worth descending into when scanning a project tree. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** Manifest files a directory walk picks up. */
export function isManifestFile(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name);
}

export interface CollectedFiles {
  readonly files: string[];
  /** Helm chart directories (a `Chart.yaml` inside): rendered, never read as plain YAML */
  readonly charts: string[];
  /** Kustomize directories (a `kustomization.yaml` inside): built, never read as plain YAML */
  readonly kustomizations: string[];
  /** what a directory walk left out (symlinks out of the tree, loops, FIFOs): one entry each */
  readonly errors: ScanError[];
}

/**
 * Expands inputs into files: a named file is taken as is (a named symlink too: the user chose
 * it), a directory is walked recursively and never out of itself (sorted, keeping names `match`
 * accepts; a symlinked file is used only when it resolves inside the directory, a symlinked
 * directory is not entered, and each link left out is an `errors` entry), `-` stays `-` (stdin).
 * A missing input is a user error.
 */
export async function collectFiles(
  inputs: readonly string[],
  match: (name: string) => boolean = isManifestFile,
): Promise<CollectedFiles> {
  const out: string[] = [];
  const charts: string[] = [];
  const kustomizations: string[] = [];
  const errors: ScanError[] = [];
  for (const input of inputs) {
    if (input === '-') {
      out.push('-');
      continue;
    }
    const info = await lstat(input).catch(() => null);
    if (!info) throw new KubeLoadError('FILE_NOT_FOUND', `${input}: no such file or directory`);
    const target = info.isSymbolicLink() ? await stat(input).catch(() => null) : info;
    if (target?.isDirectory() && (await isChartDir(input))) {
      charts.push(input);
    } else if (target?.isDirectory() && kustomizationFile(input)) {
      kustomizations.push(input);
    } else if (target?.isDirectory()) {
      const found: string[] = [];
      const walk = walkTree(input, {
        symlinks: 'inside',
        accept: match,
        skipDir: (n) => SKIPPED_DIRS.has(n),
      });
      for await (const entry of walk) {
        if (entry.kind === 'file') found.push(entry.path);
        else errors.push({ analyzer: LOADER_NAME, path: entry.path, message: `skipped: ${entry.reason}` });
      }
      const chartDirs = roots(found, (f) => basename(f) === CHART_FILE);
      const kustomizeDirs = roots(found, (f) => isKustomizationName(basename(f))).filter(
        (d) => !chartDirs.some((c) => d === c || d.startsWith(c + sep)),
      );
      charts.push(...chartDirs);
      kustomizations.push(...kustomizeDirs);
      const owned = [...chartDirs, ...kustomizeDirs];
      out.push(...found.filter((f) => !owned.some((r) => f.startsWith(r + sep))));
    } else if (target?.isFile()) out.push(input);
    else throw new KubeLoadError('FILE_NOT_FOUND', `${input}: not a regular file or directory`);
  }
  return {
    files: [...new Set(out)],
    charts: [...new Set(charts)],
    kustomizations: [...new Set(kustomizations)],
    errors,
  };
}

async function isChartDir(dir: string): Promise<boolean> {
  return (await stat(join(dir, CHART_FILE)).catch(() => null))?.isFile() ?? false;
}

function isKustomizationName(name: string): boolean {
  return (KUSTOMIZATION_FILES as readonly string[]).includes(name);
}

/**
 * The outermost directories of a walk holding a marker file (a chart's subcharts and a
 * kustomization's nested bases are inside them and are built with them).
 */
function roots(files: readonly string[], marker: (file: string) => boolean): string[] {
  const dirs = files
    .filter(marker)
    .map((f) => dirname(f))
    .sort((a, b) => a.length - b.length);
  const roots: string[] = [];
  for (const d of dirs) if (!roots.some((r) => d.startsWith(r + sep))) roots.push(d);
  return roots;
}
