/** Advisory DB updates in fleet mode and re-matching stored inventories against them. */
export {
  advisoryDbPath,
  applyAdvisorySource,
  localAdvisoryVersion,
  markAdvisoryVersion,
  refreshAdvisoryDb,
} from './advisories.js';
export { fleetHooks } from './hooks.js';
export { DbUpdatePayload, dbUpdateJob, rematchJob } from './jobs.js';
export { derivedId, rematchAll, rematchResult } from './rematch.js';
