import { type DebugLog, debugLog, type Finding, formatAge, type ScanError } from '../../core/index.js';
import type { AdvisoryDb } from '../../vuln/index.js';
import type { Scanner } from '../scanners.js';
import { DETECTORS } from './registry.js';
import type { Detected, DetectInputs, Detector, DetectorNeed } from './types.js';

export interface DetectOptions {
  /** which detectors run (by their `scanner`); empty: none */
  readonly scanners: readonly Scanner[];
  /** the advisory database (default $STRATA_DB or ~/.cache/strata/db/strata.db) */
  readonly db?: string;
  /** warnings for the user (a stale database...), never part of the report */
  readonly onWarning?: (message: string) => void;
  /** `--debug` lines (detectors chosen, the database and its age, timings) */
  readonly onDebug?: (message: string) => void;
  /** the clock; tests move it */
  readonly now?: Date;
  /** default: the registry */
  readonly detectors?: readonly Detector[];
}

function available(need: DetectorNeed, inputs: DetectInputs): boolean {
  switch (need) {
    case 'inventory':
    case 'advisory-db':
      return true;
    case 'image-config':
      return inputs.imageConfig !== undefined;
    case 'filesystem':
      return inputs.root !== undefined;
  }
}

/** The detectors the scanners turn on whose needs the inputs meet, in registry order. */
export function chooseDetectors(inputs: DetectInputs, options: DetectOptions): Detector[] {
  return (options.detectors ?? DETECTORS).filter(
    (d) => options.scanners.includes(d.scanner) && d.needs.every((n) => available(n, inputs)),
  );
}

/**
 * Runs the chosen detectors once each. The runner owns the advisory database: opened
 * read-only once (failing clearly when there is none) and closed whatever happens.
 */
export async function runDetectors(
  inputs: DetectInputs,
  options: DetectOptions,
): Promise<{ findings: Finding[]; errors: ScanError[] }> {
  const chosen = chooseDetectors(inputs, options);
  const debug = debugLog(options.onDebug);
  debug.log(
    `detectors: ${chosen.map((d) => d.name).join(', ') || 'none'} (scanners: ${options.scanners.join(',') || 'none'})`,
  );
  const findings: Finding[] = [];
  const errors: ScanError[] = [];
  if (chosen.length === 0) return { findings, errors };
  const now = options.now ?? new Date();
  // vuln/ (SQLite, the matchers) is loaded only when a chosen detector reads the advisory database
  const vuln = chosen.some((d) => d.needs.includes('advisory-db'))
    ? await import('../../vuln/index.js')
    : undefined;
  const db: AdvisoryDb | undefined = vuln?.openAdvisoryDb(options.db ?? vuln.defaultDbPath(), {
    readonly: true,
  });
  if (db && vuln) debugDb(debug, db, now, vuln.checkDbFreshness);
  try {
    for (const detector of chosen) {
      const detected = await debug.time(
        (d: Detected) =>
          `detector ${detector.name}: ${d.findings.length} findings, ${d.errors.length} errors`,
        () => detector.detect({ ...inputs, ...(db ? { db } : {}), now }),
      );
      for (const item of detected.findings) findings.push(item);
      for (const item of detected.errors) errors.push(item);
      for (const w of detected.warnings ?? []) options.onWarning?.(w);
    }
  } finally {
    db?.close();
  }
  return { findings, errors };
}

/** The database a scan reads and how old it is (`--debug`); an empty one is left for the detector to refuse. */
function debugDb(
  debug: DebugLog,
  db: AdvisoryDb,
  now: Date,
  checkDbFreshness: typeof import('../../vuln/index.js').checkDbFreshness,
): void {
  if (!debug.enabled) return;
  let age: string;
  try {
    const { updatedAt } = checkDbFreshness(db, now);
    age = updatedAt
      ? `updated ${updatedAt} (${formatAge(now.getTime() - Date.parse(updatedAt))} ago)`
      : 'no update time recorded';
  } catch {
    age = 'holds no advisories';
  }
  debug.log(`advisory database ${db.path}: ${age}`);
}
