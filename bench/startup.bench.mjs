// Start-up cost of the CLI (issue 19): the CPU time (user + sys) of `strata --version`, `--help` and
// `image --help` against bare `node -e 0`, measured in the same run (median of --runs each,
// interleaved so a busy neighbour hits every command alike); goal <= 2x. Then how long after the
// process started a scan of a local image archive starts reading its first layer (goal <= 0.25 s):
// `STRATA_DEBUG_TIMES=1` prefixes each `--debug` line with the time since the process started, and
// the line `analyzers (N): ...` is written right before the layer walk begins.
//
//   npm run build && node bench/startup.bench.mjs [--runs 9] [--image examples/demo-image.tar]
//   STRATA_DIST=/tmp/build node bench/startup.bench.mjs     (a build elsewhere)
//
// CPU time of a child: bash's `times` builtin prints the user and system time of the shell's
// finished children (the second line), so nothing is added to the measured process itself.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const runs = Number(opt('--runs', '9'));
const dist = resolve(process.env.STRATA_DIST ?? new URL('../dist', import.meta.url).pathname);
const main = join(dist, 'cli/main.js');
const image = resolve(opt('--image', new URL('../examples/demo-image.tar', import.meta.url).pathname));
const node = process.execPath;

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
const seconds = (text) => {
  const m = /^(\d+)m([\d.]+)s$/.exec(text);
  if (!m) throw new Error(`bench: cannot read a time from bash's times: ${text}`);
  return Number(m[1]) * 60 + Number(m[2]);
};

/** CPU seconds (user + sys) of one run of `argv`, which must exit 0. */
function cpuOf(argv) {
  const script = `${argv.map(q).join(' ')} >/dev/null 2>/tmp/strata-startup-bench.err || { cat /tmp/strata-startup-bench.err >&2; exit 1; }; times`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench: ${argv.join(' ')} failed:\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  const [user, sys] = lines[lines.length - 1].trim().split(/\s+/);
  return seconds(user) + seconds(sys);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const cases = [
  { name: 'node -e 0', argv: [node, '-e', '0'] },
  { name: '--version', argv: [node, main, '--version'] },
  { name: '--help', argv: [node, main, '--help'] },
  { name: 'image --help', argv: [node, main, 'image', '--help'] },
];
const cpu = new Map(cases.map((c) => [c.name, []]));
for (const c of cases) cpuOf(c.argv); // warm the page cache
for (let i = 0; i < runs; i++) for (const c of cases) cpu.get(c.name).push(cpuOf(c.argv));

const base = median(cpu.get('node -e 0'));
console.log(`start-up CPU time (user+sys), median of ${runs}:`);
for (const c of cases) {
  const m = median(cpu.get(c.name));
  console.log(`  ${c.name.padEnd(14)} ${(m * 1000).toFixed(0).padStart(5)} ms`);
}
for (const c of cases.slice(1)) {
  const ratio = median(cpu.get(c.name)) / base;
  console.log(
    `GOAL startup ${c.name}: ${ratio.toFixed(2)}x node -e 0 (goal <= 2.0x) ${ratio <= 2 ? 'ok' : 'MISSED'}`,
  );
}

/** Seconds since process start (wall, CPU) at the debug line that precedes the first layer's walk. */
function firstLayer() {
  const r = spawnSync(
    node,
    [main, 'image', image, '--scanners', 'secret', '--debug', '--quiet', '-f', 'json', '-o', '/dev/null'],
    { encoding: 'utf8', env: { ...process.env, STRATA_DEBUG_TIMES: '1' } },
  );
  if (r.status !== 0) throw new Error(`bench: strata image ${image} failed:\n${r.stderr}`);
  const m = /^strata: debug: \[\+(\d+)ms cpu (\d+)ms\] analyzers \(/m.exec(r.stderr);
  if (!m) throw new Error(`bench: no timed "analyzers" debug line from strata image:\n${r.stderr}`);
  return { wall: Number(m[1]) / 1000, cpu: Number(m[2]) / 1000 };
}
firstLayer();
const walls = [];
const cpus = [];
for (let i = 0; i < Math.max(3, Math.ceil(runs / 2)); i++) {
  const t = firstLayer();
  walls.push(t.wall);
  cpus.push(t.cpu);
}
const wall = median(walls);
console.log(
  `first layer read of strata image ${image.split('/').pop()}: ${(wall * 1000).toFixed(0)} ms after start (CPU ${(median(cpus) * 1000).toFixed(0)} ms), median of ${walls.length}`,
);
console.log(
  `GOAL startup first layer read: ${wall.toFixed(3)} s (goal <= 0.25 s) ${wall <= 0.25 ? 'ok' : 'MISSED'}`,
);
