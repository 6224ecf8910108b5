export { type CheckContext, type ExposureCheck, get } from './context.js';

import type { ExposureCheck } from './context.js';
import { dashboardCheck } from './dashboard.js';
import { dockerCheck } from './docker.js';
import { etcdCheck } from './etcd.js';
import { kubeApiServerCheck } from './kube-apiserver.js';
import { kubeletCheck } from './kubelet.js';
import { registryCheck } from './registry.js';

/** Every service check, in one explicit list; each fingerprints first and stays silent otherwise. */
export const EXPOSURE_CHECKS: readonly ExposureCheck[] = [
  kubeApiServerCheck,
  kubeletCheck,
  etcdCheck,
  dockerCheck,
  registryCheck,
  dashboardCheck,
];
