/**
 * Attack paths (issue 18): one cluster snapshot and its images' vulnerabilities joined into
 * ranked internet -> workload -> node / RBAC paths, each hop proven by an engine (NetworkPolicy
 * reachability, the RBAC authorizer and escalation analysis, the image scan, the pod spec).
 */
export { type Privilege, sensitiveHostPath, type VulnFact, type Workload } from './facts.js';
export { pathFindings } from './findings.js';
export {
  AttackGraph,
  type AttackPath,
  type Enabler,
  findPaths,
  type Goal,
  type Hop,
  type PathOptions,
  signature,
} from './graph.js';
export { renderDot, renderMermaid } from './render.js';
export {
  analyzePaths,
  attributeResults,
  PATHS_ANALYZER,
  type PathsAnalysis,
  type PathsOptions,
  readImageResults,
  scanPaths,
} from './scan.js';
