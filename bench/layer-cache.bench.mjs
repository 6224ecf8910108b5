// Issue 19 benchmark: the layer cache, end to end through the built CLI (`strata image --scanners
// secret --offline`: inventory and secrets, no advisory database), on 20 images over one base.
//
//   npm run build && node bench/layer-cache.bench.mjs [--images 20] [--runs 3]
//
// The base is the real 2-layer Debian image of the integration tests (debootstrap minbase, then
// dpkg -i; tag v2 of $STRATA_TEST_CACHE/debian-multilayer, else .cache/test-fixtures/...); when it
// is not built, a synthetic 2-layer base is made from this machine's /usr/lib/python3 and /usr/bin
// (said on stderr). Each image adds its own small application layer (package.json files, a
// lockfile, a script, a secret), all written as one OCI layout with one tag per image.
//
// Measured (CPU time of each CLI process, user+sys, GNU time; ratios within this run):
//   - 20 images over one base: every image scanned without a cache (--cache-backend none), then every
//     image scanned with one shared cache starting empty. Printed: the share of layers served from
//     the cache (the base's layers hit for images 2..20, every application layer misses), the share
//     of base layers served (goal 100%), and warm/cold total CPU (goal <= 0.6).
//   - the same image again: cold (empty cache) vs warm (every layer a hit), median of --runs; goal >= 3x.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { goal } from './goal.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const IMAGES = Number(opt('--images', '20'));
const RUNS = Number(opt('--runs', '3'));
const root = new URL('..', import.meta.url).pathname;
const CLI = join(root, 'dist/cli/main.js');
const fixtures = process.env.STRATA_TEST_CACHE ?? join(root, '.cache', 'test-fixtures');
if (!existsSync(CLI)) {
  console.error('layer-cache bench: dist/cli/main.js is missing: run `npm run build` first');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'strata-layer-cache-bench-'));
const log = (m) => process.stderr.write(`layer-cache: ${m}\n`);

const sha256 = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function tarOf(entries) {
  const p = pack();
  const chunks = [];
  const done = new Promise((ok, fail) => {
    p.on('data', (c) => chunks.push(c));
    p.on('end', ok);
    p.on('error', fail);
  });
  for (const [name, content, mode] of entries) p.entry({ name, mode: mode ?? 0o644 }, content);
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

function hostFiles(dir, prefix, limit) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      if (out.length >= limit) return;
      const path = join(d, name);
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile() && st.size < 8 * 1024 * 1024)
        out.push([join(prefix, relative(dir, path)), readFileSync(path), st.mode & 0o7777]);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** OCI layout helpers: blobs by digest, one index with a tag per manifest */
const layout = join(work, 'layout');
mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
const putBlob = (bytes) => {
  const digest = sha256(bytes);
  writeFileSync(join(layout, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { digest, size: bytes.length };
};

/** the base: [{ desc, diffId }], config to extend */
async function base() {
  const debian = join(fixtures, 'debian-multilayer', 'layout');
  if (existsSync(join(debian, 'index.json'))) {
    const index = JSON.parse(readFileSync(join(debian, 'index.json'), 'utf8'));
    const m = index.manifests.find((d) => d.annotations?.['org.opencontainers.image.ref.name'] === 'v2');
    const blob = (d) => join(debian, 'blobs', 'sha256', d.slice(7));
    const manifest = JSON.parse(readFileSync(blob(m.digest), 'utf8'));
    const config = JSON.parse(readFileSync(blob(manifest.config.digest), 'utf8'));
    for (const l of manifest.layers)
      copyFileSync(blob(l.digest), join(layout, 'blobs', 'sha256', l.digest.slice(7)));
    log(`base: the Debian image of the integration tests (tag v2, ${manifest.layers.length} layers)`);
    return { name: 'Debian bookworm minbase + dpkg -i', layers: manifest.layers, config };
  }
  log(
    `base: ${debian} is not built (run test/integration/layer-cache-cli.test.ts once); using a synthetic base of host files`,
  );
  const layers = [];
  const diffIds = [];
  for (const [dir, prefix] of [
    ['/usr/lib/python3', 'usr/lib/python3'],
    ['/usr/bin', 'usr/bin'],
  ]) {
    const tar = await tarOf(hostFiles(dir, prefix, 4000));
    diffIds.push(sha256(tar));
    layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...putBlob(gzipSync(tar)) });
  }
  return {
    name: 'synthetic (host files)',
    layers,
    config: {
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: [],
    },
  };
}

async function buildImages() {
  const b = await base();
  const manifests = [];
  for (let i = 0; i < IMAGES; i++) {
    const deps = Array.from({ length: 30 }, (_, k) => [`dep-${i}-${k}`, `1.${k}.${i}`]);
    const entries = [
      [
        'srv/app/package.json',
        JSON.stringify({ name: `app-${i}`, version: `1.0.${i}`, dependencies: Object.fromEntries(deps) }),
      ],
      [
        'srv/app/package-lock.json',
        JSON.stringify({
          name: `app-${i}`,
          lockfileVersion: 3,
          packages: Object.fromEntries([
            ['', { name: `app-${i}` }],
            ...deps.map(([n, v]) => [`node_modules/${n}`, { version: v }]),
          ]),
        }),
      ],
      ...deps.map(([n, v]) => [
        `srv/app/node_modules/${n}/package.json`,
        JSON.stringify({ name: n, version: v }),
      ]),
      ...deps.map(([n]) => [
        `srv/app/node_modules/${n}/index.js`,
        `module.exports = ${JSON.stringify(n)};\n`.repeat(200),
      ]),
      ['srv/app/server.js', `// app ${i}\nconst http = require('http');\n`.repeat(500)],
      ['srv/app/.env', `AWS_ACCESS_KEY_ID=AKIAZ5GMHYJKQWERT${String(i).padStart(3, '0')}\n`],
    ];
    const tar = await tarOf(entries);
    const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...putBlob(gzipSync(tar)) };
    const config = {
      ...b.config,
      rootfs: { type: 'layers', diff_ids: [...b.config.rootfs.diff_ids, sha256(tar)] },
      history: [...(b.config.history ?? []), { created_by: `COPY app-${i} /srv/app` }],
    };
    const cfg = putBlob(Buffer.from(JSON.stringify(config)));
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...cfg },
      layers: [...b.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })), layer],
    };
    const m = putBlob(Buffer.from(JSON.stringify(manifest)));
    manifests.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...m,
      annotations: { 'org.opencontainers.image.ref.name': `app-${i}` },
    });
  }
  writeFileSync(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
  return { baseName: b.name, baseLayers: b.layers.length, layers: b.layers.length + 1 };
}

const { pathToFileURL } = await import('node:url');
const load = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const { scanImage } = await load('scan/index.js');
const { openLayerCacheFile } = await load('image/index.js');

/**
 * One scan in this process (what `strata image --scanners secret --offline --format json` runs, less
 * the process start): CPU seconds, layer outcomes, the JSON result.
 */
async function scanIn(tag, cache) {
  let hits = 0;
  let misses = 0;
  const onDebug = (line) => {
    if (line.includes(': cache hit')) hits++;
    else if (line.includes(': cache miss')) misses++;
  };
  const t0 = process.cpuUsage();
  const result = await scanImage(`oci:${layout}:${tag}`, {
    scanners: ['secret'],
    offline: true,
    ...(cache ? { layerCache: cache, onDebug } : {}),
  });
  const t = process.cpuUsage(t0);
  const { metadata: _m, ...contract } = result;
  return { cpu: (t.user + t.system) / 1e6, hits, misses, result: JSON.stringify(contract) };
}

/** one CLI scan: CPU seconds of the process (user+sys, GNU time), cache outcomes */
function scanCli(tag, cacheArgs) {
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'TIME %U %S',
      process.execPath,
      CLI,
      'image',
      `oci:${layout}:${tag}`,
      '--offline',
      '--scanners',
      'secret',
      '--format',
      'json',
      '-o',
      join(work, 'out.json'),
      '--debug',
      ...cacheArgs,
    ],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  if (r.status !== 0) throw new Error(`strata image ${tag} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const t = /TIME ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return {
    cpu: Number(t[1]) + Number(t[2]),
    misses: r.stderr.split('\n').filter((l) => l.includes(': cache miss')).length,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  const built = await buildImages();
  const tags = Array.from({ length: IMAGES }, (_, i) => `app-${i}`);
  log(`${IMAGES} images of ${built.layers} layers over one base of ${built.baseLayers} (${built.baseName})`);
  // warm-up (JIT, page cache), so cold and warm runs differ by the cache alone
  await scanIn(tags[0]);

  // 20 images over one base: each without a cache, then all with one shared cache starting empty
  const shared = await openLayerCacheFile(join(work, 'shared', 'layers.db'));
  let coldCpu = 0;
  let warmCpu = 0;
  let hits = 0;
  let total = 0;
  let baseHits = 0;
  let identical = true;
  for (const [i, tag] of tags.entries()) {
    const cold = await scanIn(tag);
    const warm = await scanIn(tag, shared);
    coldCpu += cold.cpu;
    warmCpu += warm.cpu;
    hits += warm.hits;
    total += warm.hits + warm.misses;
    if (i > 0) baseHits += Math.min(warm.hits, built.baseLayers);
    identical &&= cold.result === warm.result;
  }
  await shared.close();
  const share = (100 * hits) / total;
  const baseShare = IMAGES > 1 ? (100 * baseHits) / ((IMAGES - 1) * built.baseLayers) : 100;
  const ratio = warmCpu / coldCpu;
  console.log(
    `${IMAGES} images over one base (scan CPU in one process): without a cache ${coldCpu.toFixed(2)} s, with one shared cache ${warmCpu.toFixed(2)} s; results identical: ${identical}`,
  );
  console.log(
    `GOAL layer cache: ${share.toFixed(0)}% of layers from cache, warm/cold ${ratio.toFixed(2)} (goal <= 0.5) ${ratio <= 0.5 && identical ? 'ok' : 'MISSED'}`,
  );
  goal(`layer cache, base layers served from cache over ${IMAGES} images`, baseShare, '>=', 100, '%', 0);

  // the same image again: cold (empty cache) vs warm (every layer a hit), alternating
  const colds = [];
  const warms = [];
  for (let r = 0; r < RUNS; r++) {
    const cache = await openLayerCacheFile(join(work, `again-${r}`, 'layers.db'));
    const cold = await scanIn(tags[0], cache);
    const warm = await scanIn(tags[0], cache);
    await cache.close();
    if (warm.misses !== 0 || cold.result !== warm.result) {
      throw new Error('the second scan of one image did not replay every layer identically');
    }
    colds.push(cold.cpu);
    warms.push(warm.cpu);
  }
  console.log(
    `same image again (scan CPU in one process, median of ${RUNS}): cold ${median(colds).toFixed(3)} s, warm ${median(warms).toFixed(3)} s`,
  );
  goal('layer cache, same image again: cold/warm scan CPU', median(colds) / median(warms), '>=', 3, 'x');

  // and as a user sees it: whole CLI processes, start-up included
  const cliDir = join(work, 'cli-cache');
  const cliCold = [];
  const cliWarm = [];
  for (let r = 0; r < RUNS; r++) {
    rmSync(cliDir, { recursive: true, force: true });
    cliCold.push(scanCli(tags[0], ['--cache-dir', cliDir]).cpu);
    const warm = scanCli(tags[0], ['--cache-dir', cliDir]);
    if (warm.misses !== 0) throw new Error('the CLI second scan missed the cache');
    cliWarm.push(warm.cpu);
  }
  const version = median(
    Array.from({ length: RUNS }, () => {
      const r = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S', process.execPath, CLI, '--version'], {
        encoding: 'utf8',
      });
      const t = /TIME ([\d.]+) ([\d.]+)/.exec(r.stderr);
      return Number(t[1]) + Number(t[2]);
    }),
  );
  console.log(
    `same image again (whole CLI process, median of ${RUNS}): cold ${median(cliCold).toFixed(2)} s CPU, warm ${median(cliWarm).toFixed(2)} s CPU, cold/warm ${(median(cliCold) / median(cliWarm)).toFixed(2)}x; strata --version alone costs ${version.toFixed(2)} s CPU`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
