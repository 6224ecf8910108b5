import { StrataError } from '../core/errors.js';

export type ProbeErrorCode =
  | 'INVALID_TARGET'
  | 'TOO_MANY_TARGETS'
  | 'NOT_OWN_NETWORK'
  | 'INVALID_OPTION'
  | 'NOTHING_PROBED';

/** Bad probe input (a target that does not parse, a CIDR too large or outside the user's networks). */
export class ProbeError extends StrataError<ProbeErrorCode> {}

/** The analyzer name probe failures carry in `errors[]`. */
export const PROBE_ANALYZER = 'probe';
