#!/usr/bin/env node
// The dependency check of `npm run lint`: dependency-cruiser's rules (.dependency-cruiser.cjs: no file
// cycles, nothing imports cli/, other modules only through their index.ts) plus what depcruise cannot
// say in a rule: no cycle between the top-level folders of src/ (a -> b -> a through any files).
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEPCRUISE = join(
  dirname(fileURLToPath(import.meta.resolve('dependency-cruiser'))),
  '../../bin/dependency-cruise.mjs',
);

/** The top-level module of a path under src/ (`src/kube/netpol/x.ts` -> `kube`), or undefined. */
export function moduleOf(path) {
  return /^src\/([^/]+)\//.exec(path)?.[1];
}

/** Folder-level edges from depcruise's JSON modules: `a -> b` with the file imports behind it. */
export function folderEdges(modules) {
  const edges = new Map();
  for (const m of modules) {
    const from = moduleOf(m.source);
    if (!from) continue;
    for (const d of m.dependencies) {
      const to = moduleOf(d.resolved);
      if (!to || to === from) continue;
      const key = `${from} -> ${to}`;
      if (!edges.has(key)) edges.set(key, []);
      edges.get(key).push(`${m.source} -> ${d.resolved}`);
    }
  }
  return edges;
}

/** Strongly connected components of more than one folder (Tarjan), each sorted, sorted. */
export function folderCycles(edges) {
  const next = new Map();
  for (const key of edges.keys()) {
    const [a, b] = key.split(' -> ');
    if (!next.has(a)) next.set(a, []);
    if (!next.has(b)) next.set(b, []);
    next.get(a).push(b);
  }
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  let counter = 0;
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((x, y) => x.join().localeCompare(y.join()));
}

/** Runs depcruise on `root`/src with the repository's rules; returns the problems as lines. */
export function checkDeps(root = process.cwd(), config = join(REPO, '.dependency-cruiser.cjs')) {
  let json;
  try {
    json = execFileSync(process.execPath, [DEPCRUISE, 'src', '--config', config, '--output-type', 'json'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (err) {
    // depcruise exits non-zero when a rule is violated; its report is still on stdout
    if (typeof err.stdout !== 'string' || !err.stdout.startsWith('{')) throw err;
    json = err.stdout;
  }
  const result = JSON.parse(json);
  const problems = [];
  for (const v of result.summary.violations) {
    if (v.rule.severity !== 'error') continue;
    const what = v.cycle ? [v.from, ...v.cycle.map((c) => (typeof c === 'string' ? c : c.name))] : [v.from, v.to];
    problems.push(`${v.rule.name}: ${what.join(' -> ')}`);
  }
  const edges = folderEdges(result.modules);
  for (const cycle of folderCycles(edges)) {
    const inside = [...edges.entries()].filter(([key]) => {
      const [a, b] = key.split(' -> ');
      return cycle.includes(a) && cycle.includes(b);
    });
    problems.push(
      `folder cycle: ${cycle.join(' <-> ')}\n${inside.map(([key, files]) => `  ${key}: ${files.join(', ')}`).join('\n')}`,
    );
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkDeps(process.argv[2] ? resolve(process.argv[2]) : process.cwd());
  for (const p of problems) process.stderr.write(`check-deps: ${p}\n`);
  if (problems.length > 0) {
    process.stderr.write(`check-deps: ${problems.length} dependency problem(s) (see .dependency-cruiser.cjs)\n`);
    process.exitCode = 1;
  } else process.stdout.write('check-deps: no folder cycles, no cli imports, modules reached through index.ts\n');
}
