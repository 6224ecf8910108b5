import { ServerError } from '../errors.js';
import { dbUpdateJob, rematchJob } from '../rematch/jobs.js';
import { scanClusterJob } from './scan-cluster.js';
import { scanFsJob } from './scan-fs.js';
import { scanImageJob } from './scan-image.js';
import type { JobType } from './types.js';
import { watchRegistryJob } from './watch-registry.js';

/** Every job type fleet mode runs, in one explicit list. */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list; each entry parses its own payload
export const JOB_TYPES: readonly JobType<any>[] = [
  scanImageJob,
  scanFsJob,
  watchRegistryJob,
  dbUpdateJob,
  rematchJob,
  scanClusterJob,
];

// biome-ignore lint/suspicious/noExplicitAny: see JOB_TYPES
export function jobType(name: string): JobType<any> {
  const t = JOB_TYPES.find((j) => j.name === name);
  if (!t) throw new ServerError('JOB_TYPE', `unknown job type "${name}"`);
  return t;
}

export const JOB_TYPE_NAMES: readonly string[] = JOB_TYPES.map((j) => j.name);
