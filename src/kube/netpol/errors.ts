import { StrataError } from '../../core/errors.js';

export type NetpolErrorCode = 'INVALID_POLICY' | 'INVALID_RESOURCE' | 'UNKNOWN_ENDPOINT' | 'INVALID_FLOWS';

/** Bad user input around network policies (an endpoint that does not exist, an unreadable flows file). */
export class NetpolError extends StrataError<NetpolErrorCode> {}

/** The analyzer name partial failures carry in `errors[]`. */
export const NETPOL_ANALYZER = 'kube/netpol';
