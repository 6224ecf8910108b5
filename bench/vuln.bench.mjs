// Advisory database costs: import throughput of a large synthetic OSV export (>= 100k records, one
// all.zip streamed record by record), matching 2,000 packages against it (median of runs; goal <= 100 ms),
// and the database size on disk.
//
//   npm run build && node bench/vuln.bench.mjs [--records 100000] [--packages 2000] [--runs 15]
//   STRATA_DIST=/tmp/build node bench/vuln.bench.mjs     (a build elsewhere)
//
// The synthetic records are real ones (data/demo-osv) cloned under new ids and package names, so
// their shape, size and range structure are those of the real feeds. Nothing leaves the machine.
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const RECORDS = Number(opt('--records', '100000'));
const PACKAGES = Number(opt('--packages', '2000'));
const RUNS = Number(opt('--runs', '15'));
const dist = resolve(process.env.STRATA_DIST ?? new URL('../dist', import.meta.url).pathname);
const { openAdvisoryDb, importOsv, detectVulnerabilities } = await import(
  pathToFileURL(join(dist, 'vuln/index.js')).href
);

const demo = new URL('../data/demo-osv/', import.meta.url).pathname;
const templates = readdirSync(demo, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(demo, d.name)).map((f) => JSON.parse(readFileSync(join(demo, d.name, f), 'utf8'))),
  )
  .filter((r) => r.affected?.length && !r.withdrawn);

// Package names: each synthetic package has ~5 advisories, like a busy real package.
const PER_NAME = 5;
function synthetic(i) {
  const t = templates[i % templates.length];
  const name = `synthetic-${Math.floor(i / PER_NAME)}`;
  return {
    ...t,
    id: `SYN-${String(i).padStart(7, '0')}`,
    modified: '2026-01-01T00:00:00Z',
    affected: t.affected.map((a) => ({ ...a, package: { ...a.package, name } })),
  };
}

/** A plain (non-ZIP64) deflate zip of records [from, to): local headers, data, central directory, end record. */
function writeZip(path, from, to) {
  const fd = openSync(path, 'w');
  const central = [];
  let offset = 0;
  const put = (buf) => {
    writeSync(fd, buf);
    offset += buf.length;
  };
  for (let i = from; i < to; i++) {
    const name = Buffer.from(`SYN-${i}.json`);
    const data = Buffer.from(JSON.stringify(synthetic(i)));
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(packed.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    put(local);
    put(name);
    put(packed);
  }
  const cdStart = offset;
  for (const b of central) put(b);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(to - from, 8);
  end.writeUInt16LE(to - from, 10);
  end.writeUInt32LE(offset - cdStart, 12);
  end.writeUInt32LE(cdStart, 16);
  put(end);
  closeSync(fd);
  return offset;
}

const dir = mkdtempSync(join(tmpdir(), 'strata-vuln-bench-'));
try {
  // Written as several per-ecosystem-style all.zip files (each under the 65,535 entries of a classic zip),
  // the way the OSV bucket serves one export per ecosystem; the import walks the directory.
  const exportDir = join(dir, 'export');
  const PER_ZIP = 50_000;
  let t = performance.now();
  let zipBytes = 0;
  for (let start = 0; start < RECORDS; start += PER_ZIP) {
    const path = join(exportDir, `part-${start / PER_ZIP}`, 'all.zip');
    mkdirSync(join(path, '..'), { recursive: true });
    zipBytes += writeZip(path, start, Math.min(RECORDS, start + PER_ZIP));
  }
  console.log(
    `synthetic export: ${RECORDS} records in ${Math.ceil(RECORDS / PER_ZIP)} zips, ${(zipBytes / 1048576).toFixed(1)} MiB (${((performance.now() - t) / 1000).toFixed(1)} s to build)`,
  );

  const dbPath = join(dir, 'strata.db');
  const db = openAdvisoryDb(dbPath);
  t = performance.now();
  const counts = await importOsv(db, [exportDir]);
  const importSeconds = (performance.now() - t) / 1000;
  console.log(
    `import: ${counts.imported} imported, ${counts.bad} bad in ${importSeconds.toFixed(1)} s = ${Math.round(counts.imported / importSeconds)} records/s`,
  );
  db.close();
  console.log(`database size on disk: ${(statSync(dbPath).size / 1048576).toFixed(1)} MiB`);

  // 2,000 packages: a quarter hit synthetic advisories, the rest are real-world names in each ecosystem.
  const reader = openAdvisoryDb(dbPath, { readonly: true });
  const ecosystems = [...new Set(templates.flatMap((r) => r.affected.map((a) => a.package.ecosystem)))];
  const packages = Array.from({ length: PACKAGES }, (_, i) => {
    const hit = i % 4 === 0;
    const ecosystem = hit
      ? templates[(i * PER_NAME) % templates.length].affected[0].package.ecosystem
      : ecosystems[i % ecosystems.length];
    const version =
      ecosystem.startsWith('Debian') || ecosystem.startsWith('Ubuntu')
        ? '1.0-1'
        : ecosystem.startsWith('Alpine')
          ? '1.0-r0'
          : '1.0.0';
    return {
      name: hit ? `synthetic-${i}` : `package-${i}`,
      version,
      ecosystem,
      purl: `pkg:generic/package-${i}@${version}`,
      path: 'var/lib/dpkg/status',
    };
  });
  const times = [];
  let result;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    result = detectVulnerabilities(packages, undefined, reader);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `match ${PACKAGES} packages: median ${median.toFixed(1)} ms over ${RUNS} runs (min ${times[0].toFixed(1)}, max ${times.at(-1).toFixed(1)}); ${result.findings.length} findings, ${result.errors.length} errors; goal <= 100 ms: ${median <= 100 ? 'met' : 'MISSED'}`,
  );
  reader.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
