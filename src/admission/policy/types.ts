import type { Severity } from '../../core/index.js';
import type { PssVersion } from '../../kube/index.js';

/** Pod Security Admission levels: `privileged` runs no check. */
export type PsaLevel = 'privileged' | 'baseline' | 'restricted';

export interface LevelVersion {
  readonly level: PsaLevel;
  readonly version: PssVersion;
}

export type Mode = 'enforce' | 'warn' | 'audit';

/** One exemption: every selector it sets must match (a list matches when any entry does). */
export interface Exemption {
  readonly namespaces?: readonly string[];
  readonly users?: readonly string[];
  readonly groups?: readonly string[];
  /** globs over `registry/repository` (`*` within a segment, `**` across), as `strata verify --policy` */
  readonly images?: readonly string[];
  /** the first day it no longer applies (UTC midnight of `expires`) */
  readonly expires?: Date;
  readonly reason?: string;
}

export interface VulnerabilityGate {
  readonly denySeverity: Severity;
  readonly ignoreUnfixed: boolean;
  /** the advisory database (default: as `strata image`, $STRATA_DB or the user cache) */
  readonly db?: string;
}

/** SPEC's AdmissionPolicy, parsed, with every default filled in. */
export interface AdmissionPolicy {
  /** the file it was read from (messages) */
  readonly file: string;
  readonly mode: Mode;
  readonly failurePolicy: 'fail' | 'ignore';
  readonly timeoutSeconds: number;
  readonly podSecurity: LevelVersion & {
    /** workload kinds (pod templates): `warn` as Pod Security Admission, or `enforce` to deny them too */
    readonly workloads: 'warn' | 'enforce';
  };
  readonly rules: { readonly denySeverity: Severity | 'NONE' };
  readonly images: {
    /** registry hosts (`127.0.0.1:5000`) or globs over `registry/repository`; undefined: any */
    readonly allowedRegistries?: readonly string[];
    readonly pinDigests: boolean;
    /** the `strata verify --policy` file, resolved against the policy's directory */
    readonly verification?: string;
    readonly vulnerabilities?: VulnerabilityGate;
    /** how long a verification or scan result is kept per digest */
    readonly cacheSeconds: number;
  };
  readonly exemptions: readonly Exemption[];
}
