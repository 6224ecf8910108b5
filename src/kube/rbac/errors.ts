import { StrataError } from '../../core/errors.js';

export type RbacErrorCode = 'INVALID_SUBJECT' | 'INVALID_REQUEST' | 'INVALID_VERSION';

/** Bad user input to an RBAC query (a subject or request that cannot be parsed). */
export class RbacError extends StrataError<RbacErrorCode> {}

/** The analyzer name partial failures carry in `errors[]`. */
export const RBAC_ANALYZER = 'kube/rbac';
