import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isLocalImageTarget, registryOf } from './scan-image.js';

const SBOM = fileURLToPath(new URL('../../scan/sbom-in/fixtures/trivy-image.cdx.json', import.meta.url));

describe('scan-image job targets', () => {
  it.each([
    ['sbom:/srv/boms/app.cdx.json', true, undefined],
    [SBOM, true, undefined],
    ['registry.example.com/team/app:1.4', false, 'registry.example.com'],
  ])('%s: local (admin tokens only) %s, registry %s', (target, local, registry) => {
    expect(isLocalImageTarget(target)).toBe(local);
    expect(registryOf(target)).toBe(registry);
  });
});

describe('scan-image job and the layer cache of the embedded store', () => {
  it('a second scan of an image replays its layers from the store (migration 5) with the same result', async () => {
    const { resolve } = await import('node:path');
    const { SqliteStore } = await import('../store/sqlite.js');
    const { scanImageJob } = await import('./scan-image.js');
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const seen: string[] = [];
    const layers = store.layers;
    const counting = {
      ...layers,
      kind: layers.kind,
      get: async (key: string) => {
        const data = await layers.get(key);
        seen.push(data ? 'hit' : 'miss');
        return data;
      },
      put: (key: string, diffId: string, data: Uint8Array) => layers.put(key, diffId, data),
      clear: () => layers.clear(),
      stats: () => layers.stats(),
      close: () => layers.close(),
    };
    const ctx = {
      store: new Proxy(store, { get: (t, p) => (p === 'layers' ? counting : Reflect.get(t, p, t)) }),
      signal: new AbortController().signal,
    };
    const payload = scanImageJob.parse({
      target: `oci-archive:${resolve('examples/demo-image.tar')}`,
      scanners: ['secret'],
    });
    const first = await scanImageJob.run(payload, ctx);
    const n = first.result?.layers?.length ?? 0;
    expect(n).toBeGreaterThan(1);
    expect(seen).toEqual(Array(n).fill('miss'));
    expect((await store.layers.stats()).entries).toBe(
      new Set(first.result?.layers?.map((l) => l.diffId)).size,
    );
    seen.length = 0;
    const second = await scanImageJob.run(payload, ctx);
    expect(seen).toEqual(Array(n).fill('hit'));
    const strip = (r: unknown) => JSON.stringify(r).replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"T"');
    expect(strip(second.result)).toBe(strip(first.result));
    await store.close();
  });
});
