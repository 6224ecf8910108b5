// `npm run bench`: every benchmark in bench/, one after another (never in parallel: each one's
// ratios are measured within its own run on a quiet machine), then one summary table of the lines
// each printed that carry a ratio, a goal or a peak. Needs a build (`npm run build`).
//
//   node bench/run.mjs                 all of them
//   node bench/run.mjs --only rbac,vuln
//   node bench/run.mjs --list
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** name -> script and its default arguments (sizes are the issues' targets). */
const BENCHES = [
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
];

const argv = process.argv.slice(2);
if (argv.includes('--list')) {
  for (const b of BENCHES) console.log(`${b.name.padEnd(14)} bench/${b.script}`);
  process.exit(0);
}
const onlyAt = argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : new Set((argv[onlyAt + 1] ?? '').split(',').filter(Boolean));
if (only) {
  const unknown = [...only].filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length) {
    console.error(`bench: unknown benchmark ${unknown.join(', ')} (see --list)`);
    process.exit(2);
  }
}
if (!existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
  console.error('bench: no build found; run `npm run build` first');
  process.exit(2);
}

const KEY = /ratio|goal|peak|median|p50|p99|per s|\/s\b|MiB|records\/s|scans\/min|re-match/i;
const rows = [];
let failed = 0;
for (const bench of BENCHES) {
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
  rows.push({ name: bench.name, ok, seconds, lines });
}

console.log('\n== summary');
for (const row of rows) {
  const head = `${row.name.padEnd(14)} ${(row.ok ? 'ok' : 'FAILED').padEnd(7)} ${row.seconds.toFixed(0).padStart(5)} s`;
  console.log(head);
  for (const line of row.lines) console.log(`${' '.repeat(30)}${line}`);
}
process.exit(failed ? 1 : 0);
