// Issue 3 benchmark: inventory of a node_modules tree of 2,000 packages (nested and scoped, as npm
// lays them out) through `strata fs`'s pipeline, with and without secret scanning, in one run:
// time, packages found and peak RSS (each measurement in its own process).
//   node bench/node-modules.bench.mjs [--packages 2000]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = process.argv.indexOf('--packages');
const count = arg > 0 ? Number(process.argv[arg + 1]) : 2000;

if (process.argv[2] === '--child') {
  const [, , , dir, scanners] = process.argv;
  const { scanFilesystem } = await import('../dist/scan/fs.js');
  const start = process.hrtime.bigint();
  const r = await scanFilesystem(dir, { scanners: scanners ? scanners.split(',') : [] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(
    JSON.stringify({
      seconds,
      packages: r.packages.length,
      errors: r.errors.length,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
    }),
  );
  process.exit(0);
}

const root = mkdtempSync(join(tmpdir(), 'strata-nm-bench-'));
try {
  const nm = join(root, 'node_modules');
  for (let i = 0; i < count; i++) {
    // a third scoped, a fifth nested one level below another package, like real trees
    const name = i % 3 === 0 ? `@scope${i % 17}/pkg-${i}` : `pkg-${i}`;
    const parent = i % 5 === 0 && i > 0 ? join(nm, `pkg-${i - 1}`, 'node_modules') : nm;
    const dir = join(parent, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name, version: `1.${i % 50}.${i % 7}`, license: 'MIT', description: 'x'.repeat(200) }),
    );
    writeFileSync(join(dir, 'index.js'), `module.exports = ${i};\n`.repeat(50));
  }
  const measure = (scanners) =>
    JSON.parse(
      execFileSync(process.execPath, ['bench/node-modules.bench.mjs', '--child', root, scanners], {
        encoding: 'utf8',
      }),
    );
  const rows = [];
  for (const [label, scanners] of [
    ['inventory only', ''],
    ['inventory + secrets', 'secret'],
  ]) {
    const best = [measure(scanners), measure(scanners), measure(scanners)].reduce((a, b) =>
      b.seconds < a.seconds ? b : a,
    );
    rows.push({
      run: label,
      packages: best.packages,
      seconds: best.seconds.toFixed(2),
      peakRssMiB: best.maxRssMiB.toFixed(0),
    });
  }
  rows.push({ run: 'secret scanning ratio', seconds: (rows[1].seconds / rows[0].seconds).toFixed(2) });
  console.table(rows);
} finally {
  rmSync(root, { recursive: true, force: true });
}
