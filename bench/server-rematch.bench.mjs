// Re-matching stored inventories after an advisory update vs scanning the images again: 1,000 stored
// scans (the demo image's real inventory, each under its own name and digest) re-matched by the
// re-match job's code (rematchAll: newest result per digest, vuln detector on the stored packages,
// result recorded when changed) against the demo DB; re-scanning is measured on the demo image from
// its local archive (no registry pull, so the real re-scan cost is higher) and scaled to the count.
//
//   npm run build && node bench/server-rematch.bench.mjs [--images 1000] [--rescans 10]
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { goal } from './goal.mjs';
import { DEMO, demoDb, demoResult, opt, scan, server, storeScans, work } from './server-common.mjs';

const IMAGES = Number(opt('--images', '1000'));
const RESCANS = Number(opt('--rescans', '10'));

try {
  const db = await demoDb();
  const template = await demoResult(db);
  const store = new server.SqliteStore(join(work, 'server.db'));
  await store.migrate();
  // the stored results predate the advisories (no vulnerability findings): the re-match finds new
  // ones in every image and records every result (the worst case: every image changed)
  const before = { ...template, findings: template.findings.filter((f) => f.kind !== 'vulnerability') };
  await storeScans(store, before, IMAGES);
  let t = performance.now();
  const rematch = await server.rematchAll({ store, dbPath: db, id: 'bench-rematch-1' });
  const rematchMs = performance.now() - t;
  console.log(
    `re-match ${rematch.images} stored inventories: ${(rematchMs / 1000).toFixed(2)} s (${(rematchMs / rematch.images).toFixed(2)} ms each, ${rematch.changed} changed)`,
  );

  // the usual case: an update that changes nothing for most images (no new result to write)
  t = performance.now();
  const again = await server.rematchAll({ store, dbPath: db, id: 'bench-rematch-2' });
  const againMs = performance.now() - t;
  console.log(
    `re-match again, nothing new: ${(againMs / 1000).toFixed(2)} s (${(againMs / again.images).toFixed(2)} ms each, ${again.changed} changed)`,
  );

  t = performance.now();
  for (let i = 0; i < RESCANS; i++) await scan.scanImage(DEMO, { scanners: ['vuln', 'secret'], db });
  const perScan = (performance.now() - t) / RESCANS;
  const rescanMs = perScan * rematch.images;
  console.log(
    `re-scan: ${perScan.toFixed(0)} ms per image from a local archive (mean of ${RESCANS}) -> ${(rescanMs / 1000).toFixed(1)} s for ${rematch.images}`,
  );
  console.log(`ratio re-scan / re-match: ${(rescanMs / rematchMs).toFixed(1)}x`);
  // "far above 1": a re-match must cost a small fraction of pulling and scanning again
  goal('fleet re-match vs re-scan speed-up', rescanMs / rematchMs, '>=', 5, 'x', 1);
  await store.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
