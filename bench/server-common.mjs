// Shared by bench/server-*.mjs: the built modules, a demo advisory DB, stored scans made through the
// Store from one real scan of examples/demo-image.tar (each under its own image name and digest).
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const dist = resolve(process.env.STRATA_DIST ?? new URL('../dist', import.meta.url).pathname);
const load = (m) => import(pathToFileURL(join(dist, m)).href);
export const server = await load('server/index.js');
export const scan = await load('scan/index.js');

export const DEMO = `oci-archive:${new URL('../examples/demo-image.tar', import.meta.url).pathname}`;
export const work = mkdtempSync(join(tmpdir(), 'strata-server-bench-'));

export const opt = (name, fallback) => {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};

/** The demo advisories imported into a fresh DB file. */
export async function demoDb() {
  const db = join(work, 'advisories.db');
  await scan.importAdvisories([], { db, demo: true });
  return db;
}

/** One real scan of the demo image, finalized and stripped as the scan-image job stores it. */
export async function demoResult(db) {
  const r = await scan.scanImage(DEMO, { scanners: ['vuln', 'secret'], db });
  const { metadata: _m, ...contract } = scan.finalizeResult(r, {
    suppression: { suppressors: [], warnings: [] },
  }).shown;
  return contract;
}

export const fakeDigest = (i) => `sha256:${createHash('sha256').update(`bench-image-${i}`).digest('hex')}`;

/**
 * Stores `n` done scans through the Store (insert, claim, complete: the worker's own path), image i
 * named `registry.bench/team/app-i:1` with its own digest; `extra` synthetic findings each.
 */
export async function storeScans(store, template, n, extra = 0) {
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    await store.insertJob({
      id,
      type: 'scan-image',
      payload: { target: `registry.bench/team/app-${i}:1` },
      maxAttempts: 1,
    });
    const job = await store.claimJob(['scan-image'], 60);
    const findings = [...template.findings];
    for (let k = 0; k < extra; k++)
      findings.push({
        ...template.findings.find((f) => f.kind === 'vulnerability'),
        id: `CVE-2099-${i}-${k}`,
        aliases: [],
        package: { name: `pkg-${k % 50}`, version: `1.${i % 10}.${k}` },
      });
    const result = {
      ...template,
      target: { ...template.target, name: `registry.bench/team/app-${i}:1`, digest: fakeDigest(i) },
      findings,
    };
    await store.completeJob(job.id, job.lease, result, ['vuln', 'secret']);
  }
}

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
