import type { ScanResult } from '../../core/index.js';
import type { Store } from '../store/types.js';

export interface JobContext {
  readonly store: Store;
  readonly signal: AbortSignal;
  /** the job's id (records a job writes itself are keyed by it, so a retry writes them once) */
  readonly jobId?: string;
  /** the advisory database the workers use (default: the CLI's) */
  readonly db?: string;
}

/**
 * What a job type produces: a result in the JSON contract, stored and indexed by the store; a job
 * that writes its own records (an advisory update, a re-match) has none.
 */
export interface JobOutput {
  readonly result?: ScanResult;
  readonly scanners: readonly string[];
}

/**
 * One kind of work. Every job type is listed in `registry.ts`; the API enqueues by name and the
 * workers (in process or `strata worker`) run whatever the registry holds, so watches, DB updates
 * and re-matching are new entries, not new machinery.
 */
export interface JobType<P> {
  readonly name: string;
  /** attempts before the job ends `failed` */
  readonly maxAttempts: number;
  /** checks a stored payload (it crossed a database); throws a user error when it is not one */
  parse(payload: unknown): P;
  run(payload: P, ctx: JobContext): Promise<JobOutput>;
}

/** The stored result is the JSON contract (`strata image --format json`): `metadata` is internal. */
export function contractOf(result: ScanResult): ScanResult {
  const { metadata: _metadata, ...contract } = result;
  return contract;
}
