// One measurement in a fresh process, so peak RSS belongs to it alone.
//   node bench/image-walk-child.mjs strata <oci-dir> <tag>   walk + inventory (all analyzers)
//   node bench/image-walk-child.mjs inflate <oci-dir> <tag>  bare inflate of the same blobs (1 MiB chunks)
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

const [mode, dir, tag] = process.argv.slice(2);
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
const desc = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
const blob = (d) => join(dir, 'blobs', ...d.split(':'));
const manifest = JSON.parse(readFileSync(blob(desc.digest), 'utf8'));
const compressed = manifest.layers.reduce((n, l) => n + l.size, 0);

function mainThreadCpu() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
  } catch {
    return Number.NaN;
  }
}

// module loading is a one-time start-up cost, reported apart from the walk's throughput
const loadStart = process.hrtime.bigint();
const scan = mode === 'strata' ? (await import('../dist/scan/image.js')).scanImage : undefined;
const startupSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const mainStart = mainThreadCpu();
if (mode === 'inflate') {
  for (const l of manifest.layers) {
    await pipeline(
      createReadStream(blob(l.digest), { highWaterMark: 1 << 20 }),
      createGunzip({ chunkSize: 1 << 20 }),
      new Writable({ write: (_c, _e, cb) => cb() }),
    );
  }
} else {
  const r = await scan(`oci:${dir}:${tag}`, { scanners: ['secret'] });
  if (r.errors.length > 1000) throw new Error('unexpected errors');
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// the main thread's share (the rest is zlib and fs on the thread pool); Linux only, 10 ms ticks
const mainSeconds = mainThreadCpu() - mainStart;
process.stdout.write(
  JSON.stringify({
    mode,
    seconds,
    cpuSeconds,
    mainSeconds,
    startupSeconds,
    compressedBytes: compressed,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
