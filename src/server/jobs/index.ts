export { JOB_TYPE_NAMES, JOB_TYPES, jobType } from './registry.js';
export { FsPayload, scanFsJob } from './scan-fs.js';
export { isLocalImageTarget, registryOf, ScanPayload, scanImageJob } from './scan-image.js';
export { contractOf, type JobContext, type JobOutput, type JobType } from './types.js';
export { TAG_MUTATED, WatchPayload, watchJob, watchPolicy, watchRegistryJob } from './watch-registry.js';
