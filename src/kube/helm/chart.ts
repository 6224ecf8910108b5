import { posix, relative, sep } from 'node:path';
import { readInputFile } from '../../core/safe-read.js';
import { walkTree } from '../../core/safe-walk.js';
import type { ScanError } from '../../core/types.js';
import { HelmError } from './errors.js';
import { ignoreMatcher } from './helmignore.js';
import { type GoMap, isMap } from './template/index.js';
import { unpackChart } from './tgz.js';
import { readYaml } from './yaml-values.js';

/** One chart read from a directory: metadata, default values, templates, other files, subcharts. */
export interface Chart {
  readonly name: string;
  /** Chart.yaml as read (apiVersion, version, appVersion, type, dependencies, ...) */
  readonly metadata: GoMap;
  readonly values: GoMap;
  /** template path inside the chart (`templates/x.yaml`) and its text */
  readonly templates: readonly { readonly name: string; readonly text: string }[];
  /** every other file, by path inside the chart */
  readonly files: ReadonlyMap<string, Uint8Array>;
  readonly subcharts: readonly Chart[];
  /** what could not be used (packaged subcharts, unreadable files) */
  readonly errors: readonly ScanError[];
}

/** Limits on what a chart directory may hold, so a hostile tree is one error and not an abort. */
const MAX_FILES = 10_000;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
const MAX_DEPTH = 10;

const ANALYZER = 'kube/helm';

/** A directory is a chart when it holds a Chart.yaml. */
export const CHART_FILE = 'Chart.yaml';

/** Reads a chart directory (and its `charts/` subchart directories), as Helm's loader does. */
export async function loadChart(dir: string): Promise<Chart> {
  const entries: { rel: string; path: string }[] = [];
  const errors: ScanError[] = [];
  let total = 0;
  for await (const entry of walkTree(dir, { symlinks: 'inside', skipDir: (n) => n === '.git' })) {
    if (entry.kind === 'skipped') {
      errors.push({ analyzer: ANALYZER, path: entry.path, message: `skipped: ${entry.reason}` });
      continue;
    }
    total += entry.size;
    if (entries.length >= MAX_FILES || total > MAX_TOTAL_BYTES)
      throw new HelmError(
        'CHART_INVALID',
        `${dir}: chart is larger than ${MAX_FILES} files or ${MAX_TOTAL_BYTES} bytes`,
      );
    entries.push({ rel: relative(dir, entry.path).split(sep).join('/'), path: entry.path });
  }
  const read = new Map<string, Uint8Array>();
  for (const e of entries)
    read.set(e.rel, readInputFile(e.path, { kind: 'manifest', maxBytes: 16 * 1024 * 1024 }));
  return buildChart(dir, read, errors, 0);
}

function text(b: Uint8Array): string {
  return Buffer.from(b).toString('utf8');
}

function yamlMap(where: string, b: Uint8Array | undefined): GoMap {
  if (!b) return {};
  let v: unknown;
  try {
    v = readYaml(text(b));
  } catch (err) {
    throw new HelmError('CHART_INVALID', `${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (v === null) return {};
  if (!isMap(v as never)) throw new HelmError('CHART_INVALID', `${where}: expected a mapping`);
  return v as GoMap;
}

function buildChart(
  where: string,
  all: ReadonlyMap<string, Uint8Array>,
  errors: ScanError[],
  depth: number,
): Chart {
  if (depth > MAX_DEPTH)
    throw new HelmError('CHART_INVALID', `${where}: subcharts nested more than ${MAX_DEPTH} deep`);
  const ignored = ignoreMatcher(all.get('.helmignore') ? text(all.get('.helmignore')!) : '');
  const files = new Map([...all].filter(([rel]) => !ignored(rel)));
  const chartFile = files.get('Chart.yaml');
  if (!chartFile) throw new HelmError('CHART_INVALID', `${where}: no Chart.yaml`);
  const metadata = yamlMap(posix.join(where, 'Chart.yaml'), chartFile);
  const name = metadata.name;
  if (typeof name !== 'string' || name === '')
    throw new HelmError(
      'CHART_INVALID',
      `${posix.join(where, 'Chart.yaml')}: validation: chart.metadata.name is required`,
    );
  if (metadata.apiVersion === 'v1' && files.has('requirements.yaml') && metadata.dependencies === undefined) {
    const req = yamlMap(posix.join(where, 'requirements.yaml'), files.get('requirements.yaml'));
    if (req.dependencies !== undefined) metadata.dependencies = req.dependencies;
  }
  const values = yamlMap(posix.join(where, 'values.yaml'), files.get('values.yaml'));
  const templates: { name: string; text: string }[] = [];
  const others = new Map<string, Uint8Array>();
  const subFiles = new Map<string, Map<string, Uint8Array>>();
  const consumed = new Set([
    'Chart.yaml',
    'values.yaml',
    'Chart.lock',
    'requirements.yaml',
    'requirements.lock',
    'values.schema.json',
  ]);
  for (const [rel, data] of files) {
    if (consumed.has(rel)) continue;
    if (rel.startsWith('templates/')) templates.push({ name: rel, text: text(data) });
    else if (rel.startsWith('charts/')) {
      const [, sub, ...rest] = rel.split('/');
      if (rest.length === 0) {
        // a packaged dependency (what `helm dependency build` leaves): unpacked in memory
        if (/\.t(ar\.)?gz$/.test(sub!)) subFiles.set(sub!, unpackChart(data, posix.join(where, rel)));
        continue;
      }
      if (!subFiles.has(sub!)) subFiles.set(sub!, new Map());
      subFiles.get(sub!)!.set(rest.join('/'), data);
    } else if (!rel.startsWith('crds/')) others.set(rel, data);
  }
  const subcharts: Chart[] = [];
  for (const [sub, subAll] of [...subFiles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!subAll.has('Chart.yaml')) continue;
    subcharts.push(buildChart(posix.join(where, 'charts', sub), subAll, errors, depth + 1));
  }
  return { name, metadata, values, templates, files: others, subcharts, errors };
}
