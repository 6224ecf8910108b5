import { StrataError } from '../../core/errors.js';

export type ClusterErrorCode =
  | 'KUBECONFIG_NOT_FOUND'
  | 'KUBECONFIG_INVALID'
  | 'CONTEXT_NOT_FOUND'
  | 'AUTH_UNSUPPORTED'
  | 'EXEC_FAILED'
  | 'UNSUPPORTED'
  | 'UNREACHABLE'
  /** every list answered 404: the endpoint is not a Kubernetes API server */
  | 'NOT_KUBERNETES';

/** Bad kubeconfig, unknown context, a failing credential plugin, an API server that cannot be reached at all. */
export class ClusterError extends StrataError<ClusterErrorCode> {}

/** The analyzer name collection failures carry in `errors[]`. */
export const COLLECTOR_NAME = 'kube/cluster';
