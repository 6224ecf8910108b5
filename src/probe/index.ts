export {
  type AddressClass,
  classifyAddress,
  isOwnAddress,
  type NormalAddress,
  normalizeHost,
} from './address.js';
export { type CheckContext, EXPOSURE_CHECKS, type ExposureCheck } from './checks/index.js';
export { PROBE_ANALYZER, ProbeError, type ProbeErrorCode } from './errors.js';
export { type ExposureSpec, exposure, type ServiceName } from './finding.js';
export { assertReadOnly, MAX_BODY_BYTES, ProbeTransportError, send } from './http.js';
export { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type ProbeSummary, probeTargets } from './probe.js';
export {
  type Lookup,
  PUBLIC_MAX_TARGETS,
  type ResolvedTargets,
  type ResolveOptions,
  resolveTargets,
} from './resolve.js';
export {
  DEFAULT_MAX_TARGETS,
  DEFAULT_PORTS,
  type ExpandOptions,
  expandTargets,
  HARD_MAX_TARGETS,
  isOwnNetwork,
  parsePorts,
  splitHostPort,
  targetName,
} from './targets.js';
export type * from './types.js';
