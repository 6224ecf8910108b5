// Issue 2 benchmark: Strata's layer walk against the physical limit of this runtime (a bare
// inflate of the same layers with zlib and 1 MiB buffers), in one run, on
//   - the real multi-layer debootstrap image of the integration tests, and
//   - a synthetic 1 GB (uncompressed) image of 4 layers.
// Reports MB/s of compressed layers, the ratio bare/strata (goal >= 0.8: the median over
// interleaved pairs of wall times, i.e. throughput) with the same ratio in CPU time beside it (all
// threads: zlib inflates on the thread pool), and peak RSS of each. One GOAL line per image.
// The debootstrap image is the one the integration tests build (STRATA_TEST_CACHE, default
// .cache/test-fixtures).
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = process.cwd();
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const cache = join(root, '.cache', 'bench');

function measure(mode, dir, tag) {
  const out = execFileSync(process.execPath, ['bench/image-walk-child.mjs', mode, dir, tag], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

function tarEntry(name, data) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return [h, data, pad];
}

/** 4 layers x 256 MiB of files (half random, half text), gzip level 1. */
function syntheticImage() {
  const dir = join(cache, 'synthetic-1g');
  if (existsSync(join(dir, 'index.json'))) return dir;
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true });
  const put = (buf) => {
    const d = createHash('sha256').update(buf).digest('hex');
    writeFileSync(join(dir, 'blobs/sha256', d), buf);
    return { digest: `sha256:${d}`, size: buf.length };
  };
  const layers = [];
  const diffIds = [];
  const text = Buffer.from(
    'Package: example\nVersion: 1.0\nDescription: synthetic benchmark content line\n'.repeat((4 << 20) / 74),
  );
  for (let l = 0; l < 4; l++) {
    const parts = [];
    for (let f = 0; f < 64; f++) {
      const data = f % 2 ? randomBytes(4 << 20) : text.subarray(0, 4 << 20);
      parts.push(...tarEntry(`layer${l}/file${f}.bin`, data));
    }
    parts.push(Buffer.alloc(1024));
    const tar = Buffer.concat(parts);
    diffIds.push(`sha256:${createHash('sha256').update(tar).digest('hex')}`);
    layers.push({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      ...put(gzipSync(tar, { level: 1 })),
    });
  }
  const config = put(
    Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds } }),
    ),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers,
    }),
  );
  const m = put(manifest);
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...m,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
  return dir;
}

const images = [];
const fixtures = process.env.STRATA_TEST_CACHE ?? join(root, '.cache', 'test-fixtures');
const debian = join(fixtures, 'debian-multilayer/layout');
if (existsSync(join(debian, 'index.json'))) images.push(['debootstrap (4 layers)', debian, 'v4']);
else {
  console.error(`debootstrap image not built yet (${debian}): run the integration tests once to build it`);
  console.log('GOAL walk/inflate debootstrap (4 layers): not measured (image not built) MISSED');
}
images.push(['synthetic 1 GB (4 layers)', syntheticImage(), 'latest']);

const rows = [];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const goals = [];
for (const [name, dir, tag] of images) {
  // interleaved pairs: these machines are shared and noisy, so each strata run is compared with
  // the inflate run beside it, and the median of those ratios is the result
  const runs = { inflate: [], strata: [] };
  for (let i = 0; i < REPEAT; i++)
    for (const mode of ['inflate', 'strata']) runs[mode].push(measure(mode, dir, tag));
  const wall = median(runs.inflate.map((b, i) => b.seconds / runs.strata[i].seconds));
  const cpu = median(runs.inflate.map((b, i) => b.cpuSeconds / runs.strata[i].cpuSeconds));
  const strataS = median(runs.strata.map((r) => r.seconds));
  const bareS = median(runs.inflate.map((r) => r.seconds));
  const mb = runs.strata[0].compressedBytes / 1e6;
  rows.push({
    image: name,
    compressedMB: mb.toFixed(1),
    strataMBps: (mb / strataS).toFixed(1),
    inflateMBps: (mb / bareS).toFixed(1),
    ratio: wall.toFixed(2),
    cpuRatio: cpu.toFixed(2),
    strataCpuS: median(runs.strata.map((r) => r.cpuSeconds)).toFixed(2),
    inflateCpuS: median(runs.inflate.map((r) => r.cpuSeconds)).toFixed(2),
    strataStartupS: median(runs.strata.map((r) => r.startupSeconds)).toFixed(2),
    strataPeakRssMiB: Math.max(...runs.strata.map((r) => r.maxRssMiB)).toFixed(0),
    inflatePeakRssMiB: Math.max(...runs.inflate.map((r) => r.maxRssMiB)).toFixed(0),
  });
  goals.push(
    `GOAL walk/inflate ${name}: ${wall.toFixed(2)} (goal >= 0.80) ${wall >= 0.8 ? 'ok' : 'MISSED'} (CPU time: ${cpu.toFixed(2)}; median of ${REPEAT} pairs)`,
  );
}
console.table(rows);
for (const line of goals) console.log(line);
