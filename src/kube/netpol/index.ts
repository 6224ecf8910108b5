export {
  type BlastRadius,
  blastRadius,
  type EntryPoint,
  type Reached,
  renderBlastRadius,
} from './blast-radius.js';
export { encryptionFindings, type Protection, protectionOf } from './encryption.js';
export { findPod, resolveEndpoint, resolvePort } from './endpoints.js';
export { ClassEngine, resolvePorts } from './engine.js';
export { NETPOL_ANALYZER, NetpolError, type NetpolErrorCode } from './errors.js';
export { type Connection, evaluate, type RuleMatch, type SideVerdict, type Verdict } from './evaluate.js';
export { type Explanation, explain, renderExplanation, type SideExplanation } from './explain.js';
export { networkFindings } from './findings.js';
export { type Flow, flowText, parseFlows } from './flows.js';
export {
  type Generation,
  generatePolicies,
  managedNamespaces,
  type ResolvedFlow,
  resolveFlows,
} from './generate.js';
export { buildMatrix, type Granularity, INTERNET, type Matrix, type MatrixEdge } from './matrix.js';
export { type ParsedCluster, parseCluster } from './parse.js';
export { PortSet } from './port-set.js';
export { SENSITIVE_PORTS } from './sensitive-ports.js';
export type { Unselectable } from './singled-out.js';
export type * from './types.js';
export type { ResourceInput } from './values.js';
export { type Verification, verifyGenerated } from './verify-generated.js';
