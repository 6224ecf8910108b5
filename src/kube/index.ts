/**
 * Kubernetes: loading resources (load/), workload checks and PSS (workload/), RBAC (rbac/),
 * NetworkPolicy (netpol/), CIS control plane (apiserver/), live clusters (cluster/).
 * Names two submodules share are re-exported once, explicitly (`evaluate` is the NetworkPolicy
 * one; the CIS one is `evaluateControlPlane`).
 */
export {
  APISERVER_ANALYZER,
  BENCHMARK,
  BOOLEAN_FLAGS,
  CHECKS,
  type Component,
  type ControlCheck,
  type ControlPlaneOptions,
  checkCommandLines,
  checkControlPlane,
  checkSettings,
  containerComponent,
  type Expectation,
  evaluate as evaluateControlPlane,
  FlagSet,
  type FlagValue,
  flagSettings,
  kubeadmSettings,
  kubeletConfigSettings,
  kubeletSettings,
  LIST_FLAGS,
  parseBool,
  parseCommandLines,
  parseFlags,
  type Setting,
  type Settings,
  staticPodSettings,
  type Word,
} from './apiserver/index.js';
export * from './cluster/index.js';
export * from './helm/index.js';
export * from './kustomize/index.js';
export type { ObjectPath } from './load/index.js';
export * from './load/index.js';
export * from './netpol/index.js';
export { evaluate, type PolicyRule as NetworkPolicyRule } from './netpol/index.js';
export type { PolicyRule } from './rbac/index.js';
export * from './rbac/index.js';
export * from './workload/index.js';
export { WORKLOAD_KINDS } from './workload/index.js';
