// API latency of the findings query over 1,000 stored scans (the embedded SQLite store, through the
// HTTP API on 127.0.0.1): GET /api/v1/findings?image=NAME (the dashboard's and "where do we run X"
// path) and ?advisory=ID, p50/p99 of sequential requests; then the same with the results indexes on
// target/digest dropped, to show what they buy.
//
//   npm run build && node bench/server-api.bench.mjs [--scans 1000] [--findings 40] [--requests 300]

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { goal } from './goal.mjs';
import { demoDb, demoResult, opt, percentile, server, storeScans, work } from './server-common.mjs';

const SCANS = Number(opt('--scans', '1000'));
const EXTRA = Number(opt('--findings', '40'));
const REQUESTS = Number(opt('--requests', '300'));

async function measure(base, auth, paths) {
  const times = [];
  for (let i = 0; i < REQUESTS; i++) {
    const path = paths(i);
    const t = performance.now();
    const r = await fetch(`${base}${path}`, { headers: auth });
    const body = await r.json();
    times.push(performance.now() - t);
    if (!r.ok || body.items.length === 0)
      throw new Error(`${path}: ${r.status} ${JSON.stringify(body).slice(0, 200)}`);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function run(file, label) {
  const store = new server.SqliteStore(file);
  await store.migrate();
  const t = server.generateToken();
  await store.createToken({ id: t.id, name: 'bench', scope: 'read', hash: t.hash });
  const app = await server.buildApi({
    store,
    metrics: new server.Metrics(store),
    rateLimit: 1_000_000,
    bodyLimit: 65536,
    logger: false,
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const auth = { authorization: `Bearer ${t.secret}` };
  try {
    const byImage = await measure(
      base,
      auth,
      (i) =>
        `/api/v1/findings?image=${encodeURIComponent(`registry.bench/team/app-${(i * 7919) % SCANS}:1`)}`,
    );
    const byAdvisory = await measure(
      base,
      auth,
      (i) => `/api/v1/findings?advisory=CVE-2099-${(i * 7919) % SCANS}-3`,
    );
    const f = (n) => `${n.toFixed(2)} ms`;
    console.log(
      `${label}: findings by image p50 ${f(byImage.p50)} p99 ${f(byImage.p99)}; by advisory p50 ${f(byAdvisory.p50)} p99 ${f(byAdvisory.p99)}`,
    );
    return byImage;
  } finally {
    await app.close();
    await store.close();
  }
}

try {
  const db = await demoDb();
  const template = await demoResult(db);
  const file = join(work, 'server.db');
  const store = new server.SqliteStore(file);
  await store.migrate();
  const t = performance.now();
  await storeScans(store, template, SCANS, EXTRA);
  await store.close();
  console.log(
    `stored ${SCANS} scans (${template.findings.length + EXTRA} findings each) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const indexed = await run(file, `${SCANS} scans, indexed`);
  const raw = new Database(file);
  raw.exec('DROP INDEX results_target; DROP INDEX results_digest;');
  raw.close();
  const unindexed = await run(file, `${SCANS} scans, no results index`);
  console.log(
    `ratio p99 by image without / with the results indexes: ${(unindexed.p99 / indexed.p99).toFixed(1)}x`,
  );
  goal(`findings by image p99, ${SCANS} stored scans`, indexed.p99, '<=', 100, ' ms', 1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
