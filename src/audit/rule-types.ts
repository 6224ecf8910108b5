/** Falco's rule priorities, most severe first; `INFORMATIONAL` is accepted as `INFO`. */
export const PRIORITIES = [
  'EMERGENCY',
  'ALERT',
  'CRITICAL',
  'ERROR',
  'WARNING',
  'NOTICE',
  'INFO',
  'DEBUG',
] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Where a definition came from, for load errors and finding locations. */
export interface Origin {
  readonly file: string;
  readonly line: number;
}

export interface ExceptionDef {
  readonly name: string;
  /** one field (values are then a flat list) or a tuple of fields */
  readonly fields: string | readonly string[];
  readonly comps: string | readonly string[] | undefined;
  readonly values: readonly unknown[];
}

/** A rule as the files define it after append/override, before compilation. */
export interface RuleDef {
  readonly name: string;
  readonly desc: string;
  readonly condition: string;
  readonly output: string;
  /** the priority word as written in the file */
  readonly priority: string;
  readonly source: string;
  readonly enabled: boolean;
  readonly tags: readonly string[];
  readonly exceptions: readonly ExceptionDef[];
  readonly origin: Origin;
}

/** The source Falco gives the k8saudit plugin's events; rules of any other source are loaded and ignored. */
export const K8S_AUDIT_SOURCE = 'k8s_audit';
/** The rules-format engine version Strata implements (Falco's numbering); files requiring more are refused. */
export const ENGINE_VERSION = '0.50.0';
