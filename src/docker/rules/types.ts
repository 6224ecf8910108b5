import type { Severity } from '../../core/severity.js';
import type { Dockerfile, Instruction } from '../parse/index.js';

export interface DockerfileHit {
  readonly instruction?: Instruction;
  /** 1-based line the finding points at */
  readonly line: number;
  readonly message: string;
}

export interface DockerfileRule {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly rationale: string;
  readonly remediation: string;
  readonly references: readonly string[];
  check(df: Dockerfile): readonly DockerfileHit[];
}
