// `npm run bench`: every benchmark in bench/, one after another (never in parallel: each one's
// ratios are measured within its own run on a quiet machine), then one summary table of the lines
// each printed that carry a ratio, a goal or a peak. Needs a build (`npm run build`).
//
//   node bench/run.mjs                 all of them
//   node bench/run.mjs --only rbac,vuln
//   node bench/run.mjs --list
//   node bench/run.mjs --markdown FILE   also write the goal table as Markdown to FILE
//   node bench/run.mjs --readme          also put the goal table into README.md between
//                                        <!-- bench:begin --> and <!-- bench:end -->
//   node bench/run.mjs --table-from LOG  run nothing: rebuild the goal table from the saved
//                                        output of an earlier `npm run bench` (with --readme/--markdown)
//
// Every line a benchmark prints as `GOAL <name>: <measured> (goal <op> <target>) ok|MISSED`
// (bench/goal.mjs) becomes one row of the goal table; a benchmark that failed is a row too.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseGoal } from './goal.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

/** name -> script and its default arguments (sizes are the issues' targets). */
const BENCHES = [
  { name: 'startup', script: 'startup.bench.mjs', args: [] },
  { name: 'image-walk', script: 'image-walk.mjs', args: [] },
  { name: 'secret', script: 'secret.bench.mjs', args: [] },
  { name: 'node-modules', script: 'node-modules.bench.mjs', args: [] },
  { name: 'vuln', script: 'vuln.bench.mjs', args: [] },
  { name: 'config', script: 'config.bench.mjs', args: [] },
  { name: 'netpol', script: 'netpol.bench.mjs', args: [] },
  { name: 'rbac', script: 'rbac.bench.mjs', args: [] },
  { name: 'paths', script: 'paths.bench.mjs', args: [] },
  { name: 'k8s', script: 'k8s.bench.mjs', args: [] },
  { name: 'audit', script: 'audit-rules.bench.mjs', args: [] },
  { name: 'admission', script: 'admission.bench.mjs', args: [] },
  { name: 'server-scale', script: 'server-scale.bench.mjs', args: [] },
  { name: 'server-api', script: 'server-api.bench.mjs', args: [] },
  { name: 'server-rematch', script: 'server-rematch.bench.mjs', args: [] },
  { name: 'peers', script: 'peers.bench.mjs', args: [] },
  { name: 'layer-cache', script: 'layer-cache.bench.mjs', args: [] },
];

const argv = process.argv.slice(2);
if (argv.includes('--list')) {
  for (const b of BENCHES) console.log(`${b.name.padEnd(14)} bench/${b.script}`);
  process.exit(0);
}
/** the value after `flag`, or undefined */
const flagValue = (flag) => {
  const at = argv.indexOf(flag);
  return at === -1 ? undefined : argv[at + 1];
};
const markdownFile = flagValue('--markdown');
const updateReadme = argv.includes('--readme');
const onlyAt = argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : new Set((argv[onlyAt + 1] ?? '').split(',').filter(Boolean));
if (only) {
  const unknown = [...only].filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length) {
    console.error(`bench: unknown benchmark ${unknown.join(', ')} (see --list)`);
    process.exit(2);
  }
}
const fromLog = flagValue('--table-from');
if (!fromLog && !existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
  console.error('bench: no build found; run `npm run build` first');
  process.exit(2);
}

const KEY = /^GOAL |ratio|goal|peak|median|p50|p99|per s|\/s\b|MiB|records\/s|scans\/min|re-match/i;
const rows = [];
let failed = 0;
if (fromLog) {
  // sections start with `== NAME (bench/...)`; the summary says `NAME ok|FAILED N s`
  let current;
  const status = new Map();
  for (const line of readFileSync(fromLog, 'utf8').split('\n')) {
    const head = /^== (\S+) \(bench\//.exec(line);
    if (head) {
      current = { name: head[1], ok: true, seconds: 0, lines: [], goals: [] };
      rows.push(current);
      continue;
    }
    if (/^== (summary|goals)$/.test(line)) current = undefined; // the summary repeats the GOAL lines
    const sum = /^(\S+)\s+(ok|FAILED)\s+(\d+) s$/.exec(line);
    if (sum) status.set(sum[1], { ok: sum[2] === 'ok', seconds: Number(sum[3]) });
    const g = current && parseGoal(line);
    if (g) current.goals.push(g);
  }
  for (const row of rows) Object.assign(row, status.get(row.name) ?? { ok: false });
}
for (const bench of fromLog ? [] : BENCHES) {
  if (only && !only.has(bench.name)) continue;
  console.log(`\n== ${bench.name} (bench/${bench.script})`);
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [`${here}${bench.script}`, ...bench.args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(r.stdout ?? '');
  const ok = r.status === 0;
  if (!ok) failed += 1;
  const lines = (r.stdout ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && KEY.test(l) && !l.startsWith('{'));
  const goals = (r.stdout ?? '')
    .split('\n')
    .map(parseGoal)
    .filter((g) => g !== undefined);
  rows.push({ name: bench.name, ok, seconds, lines, goals });
}

console.log('\n== summary');
for (const row of rows) {
  const head = `${row.name.padEnd(14)} ${(row.ok ? 'ok' : 'FAILED').padEnd(7)} ${row.seconds.toFixed(0).padStart(5)} s`;
  console.log(head);
  for (const line of row.lines) console.log(`${' '.repeat(30)}${line}`);
}

/** The goal table: one row per GOAL line, and one per benchmark that failed or printed none. */
function goalTable() {
  const out = [];
  for (const row of rows) {
    for (const g of row.goals) out.push([row.name, g.name, g.measured, g.goal, g.met ? 'ok' : 'MISSED']);
    if (!row.ok) out.push([row.name, '(benchmark failed)', '', '', 'FAILED']);
  }
  return out;
}

const table = goalTable();
console.log('\n== goals');
const widths = [14, 48, 22, 16];
for (const r of table) console.log(r.map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c)).join(' '));
const missed = table.filter((r) => r[4] !== 'ok').length;
console.log(`${table.length - missed} of ${table.length} goals met`);

if (markdownFile || updateReadme) {
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}`;
  const md = [
    `Measured by \`npm run bench\` on ${date}, one run on one machine: ${machine}.`,
    '',
    '| bench | measure | result | goal | |',
    '|---|---|---|---|---|',
    ...table.map((r) => `| ${r.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`),
    '',
  ].join('\n');
  if (markdownFile) writeFileSync(markdownFile, md);
  if (updateReadme) {
    const readme = fileURLToPath(new URL('../README.md', import.meta.url));
    const text = readFileSync(readme, 'utf8');
    const begin = '<!-- bench:begin -->';
    const end = '<!-- bench:end -->';
    const a = text.indexOf(begin);
    const b = text.indexOf(end);
    if (a === -1 || b < a) {
      console.error(`bench: README.md has no ${begin} ... ${end} section; table not written`);
      failed += 1;
    } else {
      writeFileSync(readme, `${text.slice(0, a + begin.length)}\n${md}${text.slice(b)}`);
      console.log('README.md performance table updated');
    }
  }
}
process.exit(failed ? 1 : 0);
