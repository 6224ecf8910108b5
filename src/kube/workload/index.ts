export { type ImageUse, workloadImages } from './images.js';
export { formatPath } from './paths.js';
export { type PodTemplate, podTemplateOf, WORKLOAD_KINDS } from './pod-specs.js';
export * from './pss/index.js';
export * from './rules/index.js';
export { scanWorkloads, type WorkloadScanOptions } from './scan.js';
export { type ContainerRef, isObj, type Obj, visitContainers } from './view.js';
