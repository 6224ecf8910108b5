import type { Finding, ScanError, ScanResult } from '../../core/index.js';
import type { ImageConfig } from '../../image/index.js';
import type { AdvisoryDb } from '../../vuln/index.js';
import type { Scanner } from '../scanners.js';

/** What a detector works on; the runner calls it only when every need is available. */
export type DetectorNeed = 'inventory' | 'image-config' | 'filesystem' | 'advisory-db';

export const DETECTOR_NEEDS: readonly DetectorNeed[] = [
  'inventory',
  'image-config',
  'filesystem',
  'advisory-db',
];

/** The inputs a scan has after collecting (the runner adds the advisory database). */
export interface DetectInputs {
  /** the inventory: OS, packages, findings of the walk */
  readonly inventory: ScanResult;
  /** an image's config (Env, Labels, history, User...) */
  readonly imageConfig?: ImageConfig;
  /** a project directory on disk (`strata fs`) */
  readonly root?: string;
}

export interface DetectContext extends DetectInputs {
  /** open read-only for the whole run when a chosen detector needs it */
  readonly db?: AdvisoryDb;
  /** the clock (freshness of the advisory database) */
  readonly now: Date;
}

export interface Detected {
  readonly findings: readonly Finding[];
  readonly errors: readonly ScanError[];
  /** for the user, not the report: a stale database and the like */
  readonly warnings?: readonly string[];
}

/** A plugin that turns an inventory (and what else it needs) into findings. */
export interface Detector {
  /** `<scanner>/<what>`: 'vuln/osv', 'secret/image-config', ... */
  readonly name: string;
  /** the `--scanners` value that turns it on */
  readonly scanner: Scanner;
  readonly needs: readonly DetectorNeed[];
  detect(ctx: DetectContext): Promise<Detected>;
}
