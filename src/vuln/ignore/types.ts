import type { Finding, ScanTarget } from '../../core/types.js';

/** Why a finding was suppressed; shown in the JSON `suppressed` list under evidence.suppression. */
export type Suppression =
  | {
      readonly by: 'ignorefile';
      readonly file: string;
      readonly rule: string;
      readonly reason?: string;
      readonly expires?: string;
    }
  | {
      readonly by: 'vex';
      readonly file: string;
      readonly status: 'not_affected' | 'fixed';
      readonly justification?: string;
      readonly impactStatement?: string;
      readonly statement?: string;
    };

/** Decides whether one finding of the scan of `target` is suppressed, and says why. */
export type Suppressor = (finding: Finding, target: ScanTarget) => Suppression | undefined;

/** True when `rule` names the finding: its id or one of its aliases (case-insensitive). */
export function namesFinding(rule: string, f: Finding): boolean {
  const r = rule.toUpperCase();
  return f.id.toUpperCase() === r || (f.aliases ?? []).some((a) => a.toUpperCase() === r);
}

/** One entry of an ignore file (`.strataignore` YAML or a plain `.trivyignore` list). */
export interface IgnoreRule {
  readonly id: string;
  readonly package?: string;
  readonly path?: string;
  readonly expires?: string;
  readonly reason?: string;
}
