/**
 * The entry `strata image`/`sbom` loads when it runs (docs/ARCHITECTURE.md "Start-up"): the image
 * scan and the report step without the rest of scan/ (clusters, RBAC, network policies, signing),
 * so the first layer is read sooner. Everything here is also exported by index.ts.
 */
export { type Finalized, finalizeResult, loadSuppression, type Suppression } from './finalize.js';
export { scanImage } from './image.js';
export { sbomTargetPath } from './sbom-in/target.js';
export { parseScanners } from './scanners.js';
