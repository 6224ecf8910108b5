import type { Severity } from '../../../core/severity.js';
import type { ObjectPath } from '../../load/index.js';
import type { Obj } from '../view.js';

export type PssLevel = 'baseline' | 'restricted';

/** A policy version as upstream's `api.Version`: `v1.<minor>` or `latest`. */
export type PssVersion = { readonly latest: true } | { readonly latest: false; readonly minor: number };

/**
 * A check's verdict when it forbids the pod: upstream's ForbiddenReason and ForbiddenDetail, plus
 * the offending fields (paths from the pod template: `['spec', ...]` or `['metadata', ...]`).
 */
export interface Violation {
  readonly reason: string;
  readonly detail: string;
  readonly fields: readonly ObjectPath[];
}

export type CheckPodFn = (metadata: Obj, spec: Obj) => Violation | undefined;

export interface VersionedCheck {
  /** the first `v1.<minor>` this revision applies to */
  readonly minimumVersion: number;
  readonly checkPod: CheckPodFn;
  /** baseline check ids this restricted revision replaces */
  readonly overrides?: readonly string[];
}

export interface PssCheck {
  /** upstream's check id (`runAsNonRoot`, `seccompProfile_restricted`, ...) */
  readonly id: string;
  readonly level: PssLevel;
  /** the control's name in the Pod Security Standards */
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  /** revisions with strictly increasing minimum versions */
  readonly versions: readonly VersionedCheck[];
}
