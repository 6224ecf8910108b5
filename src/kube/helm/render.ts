import { posix } from 'node:path';
import { readInputText } from '../../core/safe-read.js';
import type { ScanError } from '../../core/types.js';
import { type Chart, loadChart } from './chart.js';
import { coalesceGlobals, coalesceTables, mergeValues } from './coalesce.js';
import { HelmError } from './errors.js';
import { str } from './funcs/convert.js';
import { baseFuncs } from './funcs/index.js';
import { chartObject } from './metadata.js';
import { capabilities, DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, Files } from './objects.js';
import { applySet } from './set-values.js';
import {
  type Defined,
  Executor,
  FuncError,
  type GoFunc,
  type GoMap,
  type GoValue,
  isMap,
  parseTemplate,
  type StepBudget,
  TemplateError,
} from './template/index.js';
import { readYaml } from './yaml-values.js';

export interface HelmOptions {
  /** `--helm-values` files, later ones win */
  readonly valuesFiles?: readonly string[];
  /** `--helm-set` expressions, applied after the files */
  readonly set?: readonly string[];
  /** `--helm-set-string` expressions (values kept as strings) */
  readonly setString?: readonly string[];
  readonly releaseName?: string;
  readonly namespace?: string;
  readonly kubeVersion?: string;
}

/** One rendered template: its `# Source:` name (`chart/templates/x.yaml`) and its output. */
export interface RenderedTemplate {
  readonly source: string;
  readonly text: string;
}

export interface RenderResult {
  readonly chart: string;
  readonly templates: RenderedTemplate[];
  readonly errors: ScanError[];
}

const ANALYZER = 'kube/helm';

interface Renderable {
  readonly name: string;
  readonly text: string;
  readonly vals: GoMap;
  readonly basePath: string;
  readonly library: boolean;
}

/** The user's values: `--helm-values` files merged in order, then `--helm-set` applied. */
export function userValues(options: HelmOptions): GoMap {
  const out: GoMap = {};
  for (const file of options.valuesFiles ?? []) {
    let v: GoValue;
    try {
      v = readYaml(readInputText(file, { kind: 'config' }));
    } catch (err) {
      throw new HelmError(
        'VALUES_INVALID',
        `--helm-values ${file}: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    if (v === null) continue;
    if (!isMap(v))
      throw new HelmError('VALUES_INVALID', `--helm-values ${file}: expected a mapping of values`);
    mergeValues(out, v);
  }
  for (const expr of options.set ?? []) applySet(expr, out);
  for (const expr of options.setString ?? []) applySet(expr, out, true);
  return out;
}

function lookupPath(values: GoMap, path: string): GoValue | undefined {
  let cur: GoValue = values;
  for (const part of path.split('.')) {
    if (!isMap(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part] ?? null;
  }
  return cur;
}

/** Helm's ProcessDependencies: drops subcharts whose condition or tags are false, applies aliases. */
function processDependencies(
  chart: Chart,
  vals: GoMap,
  tags: GoMap,
  errors: ScanError[],
  where: string,
): Chart {
  const deps = Array.isArray(chart.metadata.dependencies) ? chart.metadata.dependencies.filter(isMap) : [];
  const byName = new Map(chart.subcharts.map((c) => [c.name, c]));
  const listed = new Set<string>();
  const out: Chart[] = [];
  for (const dep of deps) {
    const name = typeof dep.name === 'string' ? dep.name : '';
    const sub = byName.get(name);
    if (!sub) {
      errors.push({
        analyzer: ANALYZER,
        path: where,
        message: `dependency ${JSON.stringify(name)} is in Chart.yaml but missing in charts/, not rendered`,
      });
      continue;
    }
    listed.add(name);
    if (!enabled(dep, vals, tags)) continue;
    const alias = typeof dep.alias === 'string' && dep.alias ? dep.alias : undefined;
    out.push(alias ? { ...sub, name: alias, metadata: { ...sub.metadata, name: alias } } : sub);
  }
  for (const sub of chart.subcharts) if (!listed.has(sub.name)) out.push(sub);
  const full: GoMap = { ...vals };
  return {
    ...chart,
    subcharts: out.map((sub) => {
      const subVals = isMap(full[sub.name] ?? null) ? (full[sub.name] as GoMap) : {};
      return processDependencies(sub, subVals, tags, errors, posix.join(where, 'charts', sub.name));
    }),
  };
}

/** A dependency's `condition` (paths in the parent's values) decides; else its `tags` (top-level `tags:`). */
function enabled(dep: GoMap, vals: GoMap, tagVals: GoMap): boolean {
  if (typeof dep.condition === 'string' && dep.condition.trim() !== '') {
    for (const path of dep.condition.split(',')) {
      const v = lookupPath(vals, path.trim());
      if (typeof v === 'boolean') return v;
    }
  }
  const tags = Array.isArray(dep.tags) ? dep.tags : [];
  const set = tags.map((t) => tagVals[String(t)]).filter((v): v is boolean => typeof v === 'boolean');
  if (set.length > 0) return set.some(Boolean);
  return true;
}

/** Helm's CoalesceValues: chart defaults under the user's values, then each subchart's under its key. */
function coalesceChart(chart: Chart, dest: GoMap): GoMap {
  coalesceTables(dest, chart.values);
  for (const sub of chart.subcharts) {
    if (!isMap(dest[sub.name] ?? null)) dest[sub.name] = {};
    const subVals = dest[sub.name] as GoMap;
    coalesceGlobals(subVals, dest);
    coalesceChart(sub, subVals);
  }
  return dest;
}

function collect(
  chart: Chart,
  fullPath: string,
  values: GoMap,
  top: GoMap,
  isRoot: boolean,
  out: Renderable[],
): GoMap {
  const subcharts: GoMap = {};
  const vals: GoMap = {
    Chart: chartObject(chart.metadata, chart.name, isRoot),
    Files: new Files(chart.files),
    Release: top.Release ?? null,
    Capabilities: top.Capabilities ?? null,
    Values: values,
    Subcharts: subcharts,
  };
  for (const sub of chart.subcharts) {
    const subValues = isMap(values[sub.name] ?? null) ? (values[sub.name] as GoMap) : {};
    subcharts[sub.name] = collect(sub, `${fullPath}/charts/${sub.name}`, subValues, top, false, out);
  }
  const library = chart.metadata.type === 'library';
  for (const t of chart.templates)
    out.push({
      name: posix.join(fullPath, t.name),
      text: t.text,
      vals,
      basePath: posix.join(fullPath, 'templates'),
      library,
    });
  return vals;
}

/** Helm's parse order: deeper paths first, then reverse lexical (a later `define` wins). */
function sortTemplates(names: string[]): string[] {
  const depth = (s: string) => s.split('/').length;
  return [...names].sort((a, b) =>
    depth(a) !== depth(b) ? depth(b) - depth(a) : a < b ? 1 : a > b ? -1 : 0,
  );
}

/** How deep `tpl` may call `tpl` (values that render themselves would otherwise never end). */
const MAX_TPL_DEPTH = 50;

class Engine {
  private readonly base = baseFuncs();
  private readonly budget: StepBudget = { steps: 0 };
  private tplDepth = 0;
  private readonly funcNames: Set<string>;

  constructor() {
    for (const [name, fn] of helmFuncs()) this.base.set(name, fn);
    this.funcNames = new Set([...this.base.keys(), 'include', 'tpl']);
  }

  isFunc = (name: string): boolean => this.funcNames.has(name);

  executor(defs: Map<string, Defined>): Executor {
    const funcs = new Map(this.base);
    const exec = new Executor(defs, funcs, undefined, this.budget);
    funcs.set('include', (name, data) => exec.execute(str(name, 'include'), data ?? null));
    funcs.set('tpl', (text, data) => {
      const parsed = parseTemplate(str(text, 'tpl'), 'gotpl', this.isFunc);
      const child = new Map(defs);
      for (const [n, nodes] of parsed.defines) child.set(n, { file: 'gotpl', nodes });
      child.set('gotpl', { file: 'gotpl', nodes: parsed.root });
      // an error inside the text is reported where it is (`gotpl:LINE:COL`), not wrapped once per level
      if (++this.tplDepth > MAX_TPL_DEPTH) throw new FuncError(`tpl nested more than ${MAX_TPL_DEPTH} deep`);
      try {
        return this.executor(child)
          .execute('gotpl', data ?? null)
          .replaceAll('<no value>', '');
      } finally {
        this.tplDepth--;
      }
    });
    return exec;
  }
}

function helmFuncs(): [string, GoFunc][] {
  return [
    [
      'required',
      (msg, v) => {
        if (v === null || v === undefined || v === '') throw new FuncError(str(msg, 'required'));
        return v;
      },
    ],
    ['lookup', () => ({})],
  ];
}

/**
 * Renders a chart directory as `helm template` does: values (chart defaults, `--helm-values`,
 * `--helm-set`), dependencies in `charts/` with their conditions, tags, aliases and scoped
 * values, and every template in `templates/` (partials `_*` and NOTES.txt are not output).
 * A template that does not parse or execute is a `HelmError` naming the file and line.
 */
export async function renderChart(dir: string, options: HelmOptions = {}): Promise<RenderResult> {
  const loaded = await loadChart(dir);
  const errors: ScanError[] = [...loaded.errors];
  const user = userValues(options);
  const probe = coalesceChart(loaded, structuredClone(user));
  const tags = isMap(probe.tags ?? null) ? (probe.tags as GoMap) : {};
  const chart = processDependencies(loaded, probe, tags, errors, dir);
  const values = coalesceChart(chart, structuredClone(user));
  const top: GoMap = {
    Release: {
      Name: options.releaseName ?? 'release-name',
      Namespace: options.namespace ?? 'default',
      IsUpgrade: false,
      IsInstall: true,
      Revision: 1n,
      Service: 'Helm',
    },
    Capabilities: capabilities(options.kubeVersion ?? DEFAULT_KUBE_VERSION, DEFAULT_API_VERSIONS),
  };
  const renderables: Renderable[] = [];
  collect(chart, chart.name, values, top, true, renderables);
  const byName = new Map(renderables.map((r) => [r.name, r]));
  const engine = new Engine();
  const defs = new Map<string, Defined>();
  const order = sortTemplates([...byName.keys()]);
  for (const name of order) {
    const r = byName.get(name)!;
    try {
      const parsed = parseTemplate(r.text, name, engine.isFunc);
      defs.set(name, { file: name, nodes: parsed.root });
      for (const [n, nodes] of parsed.defines) defs.set(n, { file: name, nodes });
    } catch (err) {
      throw templateError(dir, err);
    }
  }
  const exec = engine.executor(defs);
  const templates: RenderedTemplate[] = [];
  for (const name of order) {
    const r = byName.get(name)!;
    if (posix.basename(name).startsWith('_') || r.library) continue;
    r.vals.Template = { Name: name, BasePath: r.basePath };
    let text: string;
    try {
      text = exec.execute(name, r.vals);
    } catch (err) {
      throw templateError(dir, err);
    }
    if (name.endsWith('NOTES.txt')) continue;
    templates.push({ source: name, text: text.replaceAll('<no value>', '') });
  }
  templates.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return { chart: chart.name, templates, errors };
}

function templateError(dir: string, err: unknown): HelmError {
  if (err instanceof TemplateError)
    return new HelmError(
      err.kind === 'parse' ? 'TEMPLATE_PARSE' : 'TEMPLATE_EXEC',
      `chart ${dir}: ${err.message}`,
      { cause: err },
    );
  if (err instanceof FuncError)
    return new HelmError('TEMPLATE_EXEC', `chart ${dir}: ${err.message}`, { cause: err });
  if (err instanceof RangeError)
    return new HelmError('TEMPLATE_EXEC', `chart ${dir}: templates nested too deeply`, { cause: err });
  return err instanceof HelmError
    ? err
    : new HelmError('TEMPLATE_EXEC', `chart ${dir}: ${String(err)}`, { cause: err });
}
