import { randomUUID } from 'node:crypto';
import { scanClusterJob } from '../jobs/scan-cluster.js';
import type { Store } from '../store/types.js';

/** Queues a scan of a stored cluster; returns the job id. */
export async function enqueueClusterScan(
  store: Store,
  clusterId: string,
  options: { readonly watch?: boolean; readonly id?: string; readonly name?: string } = {},
): Promise<string> {
  const id = options.id ?? randomUUID();
  const watch = options.watch === true;
  await store.insertJob({
    id,
    type: scanClusterJob.name,
    payload: scanClusterJob.parse({
      clusterId,
      ...(options.name ? { target: options.name } : {}),
      ...(watch ? { watch: true } : {}),
    }),
    maxAttempts: scanClusterJob.maxAttempts,
  });
  return id;
}
