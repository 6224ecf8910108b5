// Secret scanning cost: the same image walked with the default analyzers, then with the secret
// analyzer added; prints the ratio (goal <= 1.3x, in CPU time of the whole process: zlib's thread
// pool included; the wall-time ratio beside it) and the secret analyzer's own throughput.
//
//   npm run build && node bench/secret.bench.mjs [--runs 3] [--dir PATH]...
//   STRATA_DIST=/tmp/build node bench/secret.bench.mjs     (a build elsewhere)
//
// The image is made of real files read from this machine: each --dir becomes one gzip layer with
// the files under their own path (default: the project's node_modules as an application's
// srv/app/node_modules, plus /usr/bin and /usr/lib/python3 as system layers). Only files an
// analyzer would see are read; nothing leaves the machine.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const runs = Number(opt('--runs', '3'));
const dist = resolve(process.env.STRATA_DIST ?? new URL('../dist', import.meta.url).pathname);
const load = (p) => import(pathToFileURL(join(dist, p)).href);

const { walkImage } = await load('image/walker/index.js');
const { ANALYZERS } = await load('analyzers/registry.js');
const { createSecretAnalyzer } = await load('analyzers/secret/index.js');

const project = new URL('..', import.meta.url).pathname;
const dirs = args.includes('--dir')
  ? args.flatMap((a, i) => (args[i - 1] === '--dir' ? [[resolve(a), resolve(a).slice(1)]] : []))
  : [
      ['/usr/bin', 'usr/bin'],
      ['/usr/lib/python3', 'usr/lib/python3'],
      [join(project, 'node_modules'), 'srv/app/node_modules'],
    ];

async function layerOf(dir, prefix) {
  const p = pack();
  const chunks = [];
  const done = new Promise((ok, fail) => {
    p.on('data', (c) => chunks.push(c));
    p.on('end', ok);
    p.on('error', fail);
  });
  let files = 0;
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile() && st.size < 64 * 1024 * 1024) {
        p.entry({ name: join(prefix, relative(dir, path)), mode: st.mode & 0o7777 }, readFileSync(path));
        files++;
      }
    }
  };
  walk(dir);
  p.finalize();
  await done;
  const tar = Buffer.concat(chunks);
  return { blob: gzipSync(tar, { level: 1 }), tarSize: tar.length, files };
}

const built = [];
for (const [dir, prefix] of dirs) built.push(await layerOf(dir, prefix));
const image = {
  name: 'bench',
  config: {},
  layers: built.map(({ blob }) => {
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    return {
      digest,
      diffId: digest,
      size: blob.length,
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    };
  }),
  openLayer: async (i) => ({ kind: 'tar', stream: Readable.from([built[i].blob]) }),
  close: async () => {},
};

const base = ANALYZERS.map((a) => a.analyzer);
const secret = createSecretAnalyzer();
let secretMs = 0;
let secretBytes = 0;
const timed = {
  ...secret,
  analyze: async (input, signal) => {
    const t = performance.now();
    try {
      return await secret.analyze(input, signal);
    } finally {
      secretMs += performance.now() - t;
      secretBytes += input.content.length;
    }
  },
};

// CPU time as well as wall time: on a shared machine the wall clock mostly measures the neighbours
async function time(analyzers) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const out = await walkImage(image, { analyzers });
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, out };
}

// the same files read but not analysed: what the walker itself spends on handing bytes over
const readOnly = { ...secret, name: 'bench/read-only', analyze: async () => ({}) };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const without = [];
const withSecret = [];
const withReads = [];
const cpuWithout = [];
const cpuWith = [];
let findings = 0;
await time(base); // warm-up
for (let r = 0; r < runs; r++) {
  const plain = await time(base);
  without.push(plain.ms);
  cpuWithout.push(plain.cpuMs);
  withReads.push((await time([...base, readOnly])).ms);
  secretMs = 0;
  secretBytes = 0;
  const { ms, cpuMs, out } = await time([...base, timed]);
  withSecret.push(ms);
  cpuWith.push(cpuMs);
  findings = out.layerFindings.length;
}
const mb = (n) => (n / 1e6).toFixed(1);
const tarBytes = built.reduce((n, l) => n + l.tarSize, 0);
console.log(
  `image: ${built.length} layers, ${built.reduce((n, l) => n + l.files, 0)} files, ${mb(tarBytes)} MB uncompressed`,
);
console.log(`walk without secrets: ${median(without).toFixed(0)} ms (median of ${runs})`);
console.log(`walk reading the same files, no analysis: ${median(withReads).toFixed(0)} ms`);
console.log(`walk with secrets:    ${median(withSecret).toFixed(0)} ms`);
console.log(`ratio (wall): ${(median(withSecret) / median(without)).toFixed(2)}x (goal <= 1.3x)`);
console.log(
  `ratio (CPU):  ${(median(cpuWith) / median(cpuWithout)).toFixed(2)}x (${median(cpuWithout).toFixed(0)} -> ${median(cpuWith).toFixed(0)} ms)`,
);
console.log(
  `secret analyzer: ${mb(secretBytes)} MB analysed in ${secretMs.toFixed(0)} ms (${mb(secretBytes / (secretMs / 1000))} MB/s), ${findings} findings`,
);
const cpuRatio = median(cpuWith) / median(cpuWithout);
console.log(
  `GOAL secrets cost: ${cpuRatio.toFixed(2)}x (goal <= 1.30x) ${cpuRatio <= 1.3 ? 'ok' : 'MISSED'} (CPU time, median of ${runs}; wall ${(median(withSecret) / median(without)).toFixed(2)}x)`,
);
