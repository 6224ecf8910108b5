import type { Severity } from '../severity.js';
import type { MisconfigurationEvidence } from './misconfiguration.js';
import type { NetworkEvidence } from './network.js';
import type {
  AttackPathEvidence,
  AuditEvidence,
  ExposureEvidence,
  SecretEvidence,
  SignatureEvidence,
} from './other.js';
import type { RbacEvidence } from './rbac.js';
import type { VulnerabilityEvidence } from './vulnerability.js';

export interface FindingLocation {
  readonly path?: string;
  readonly line?: number;
  readonly endLine?: number;
  readonly column?: number;
  readonly layer?: string;
  /** `Kind/namespace/name` for Kubernetes resources, `HOST:PORT` for probes */
  readonly resource?: string;
  /** the container of `resource` whose image holds the finding (`strata k8s --scan-images`) */
  readonly container?: string;
  /** that container's image, as the workload names it, pinned to the digest scanned (`REF@sha256:...`) */
  readonly image?: string;
}

export interface PackageRef {
  readonly name: string;
  readonly version: string;
  readonly purl: string;
}

/** Why an ignore file or VEX statement suppressed a finding (the `suppressed` list shows it). */
export type SuppressionEvidence = Readonly<Record<string, unknown>>;

/** Fields every evidence may carry, whatever the kind. */
export interface CommonEvidence {
  readonly suppression?: SuppressionEvidence;
}

interface FindingBase<K extends string, E> {
  readonly id: string;
  readonly aliases?: readonly string[];
  readonly kind: K;
  readonly severity: Severity;
  readonly title: string;
  readonly description?: string;
  readonly location: FindingLocation;
  readonly evidence: E & CommonEvidence;
  readonly references?: readonly string[];
}

/** Kinds that are not about a package: the package fields are never set on them. */
interface NoPackage {
  readonly package?: undefined;
  readonly fixedVersion?: undefined;
  readonly status?: undefined;
}

export interface VulnerabilityFinding extends FindingBase<'vulnerability', VulnerabilityEvidence> {
  readonly package: PackageRef;
  readonly fixedVersion?: string;
  /** `fixed`, `affected` or `will_not_fix` */
  readonly status?: string;
}
export interface MisconfigurationFinding
  extends FindingBase<'misconfiguration', MisconfigurationEvidence>,
    NoPackage {}
export interface SecretFinding extends FindingBase<'secret', SecretEvidence>, NoPackage {}
export interface RbacFinding extends FindingBase<'rbac', RbacEvidence>, NoPackage {}
export interface NetworkFinding extends FindingBase<'network', NetworkEvidence>, NoPackage {}
export interface ExposureFinding extends FindingBase<'exposure', ExposureEvidence>, NoPackage {}
export interface SignatureFinding extends FindingBase<'signature', SignatureEvidence>, NoPackage {}
export interface AuditFinding extends FindingBase<'audit', AuditEvidence>, NoPackage {}
export interface AttackPathFinding extends FindingBase<'attack-path', AttackPathEvidence>, NoPackage {}

/** One finding of the JSON result (SPEC.md), discriminated by `kind`; `evidence` is typed per kind. */
export type Finding =
  | VulnerabilityFinding
  | MisconfigurationFinding
  | SecretFinding
  | RbacFinding
  | NetworkFinding
  | ExposureFinding
  | SignatureFinding
  | AuditFinding
  | AttackPathFinding;

export type FindingKind = Finding['kind'];

/** Every kind, in the order SPEC.md lists them. */
export const FINDING_KINDS = [
  'vulnerability',
  'misconfiguration',
  'secret',
  'rbac',
  'network',
  'exposure',
  'signature',
  'audit',
  'attack-path',
] as const satisfies readonly FindingKind[];
