export { ApiClient, type FetchOutcome } from './client.js';
export { type CollectFailure, type CollectOptions, type CollectResult, collectCluster } from './collect.js';
export { toKubeResource } from './convert.js';
export { ClusterError, type ClusterErrorCode, COLLECTOR_NAME } from './errors.js';
export { collectFailureFinding } from './findings.js';
export {
  type ClientCertificate,
  type ClusterConfig,
  type Credentials,
  type ExecSourceOptions,
  type LoadKubeconfigOptions,
  loadKubeconfig,
} from './kubeconfig/index.js';
export { type PullSecret, type PullSecretAuth, PullSecretReader, parsePullSecret } from './pull-secrets.js';
export { CONFIG_MAPS, listPath, RESOURCE_TYPES, type ResourceType } from './resources.js';
