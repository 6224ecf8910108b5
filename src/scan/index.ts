/**
 * The scan pipeline every front end calls (CLI, server, admission webhook, attack paths):
 * target -> collect -> detect -> result, then finalizeResult (filter, suppress, gate).
 * Plain options in, results out; progress and warnings only through callbacks.
 */

export { type AuditFollowOptions, type AuditScanOptions, detect, followAudit, scanAudit } from './audit.js';
export { type BundleScanOptions, scanBundle } from './bundle.js';
export { analyzeResources, type ClusterScan, type ClusterScanOptions, scanCluster } from './cluster.js';
export {
  type ClusterImage,
  type ClusterImageOptions,
  type ClusterImageScan,
  ClusterImagesError,
  IMAGES_ANALYZER,
  noImageScanned,
  scanClusterImages,
} from './cluster-images.js';
export { type ConfigScan, type ConfigScanOptions, scanConfig } from './config.js';
export { type AdvisoryImport, type AdvisoryImportOptions, advisoryDbStatus, importAdvisories } from './db.js';
export { DETECTORS } from './detect/registry.js';
export { chooseDetectors, type DetectOptions, runDetectors } from './detect/run.js';
export type { DetectContext, Detected, DetectInputs, Detector, DetectorNeed } from './detect/types.js';
export { ecosystemOf, purlOf } from './ecosystem.js';
export { PipelineError, type PipelineErrorCode } from './errors.js';
export {
  type Finalized,
  type FinalizeOptions,
  finalizeResult,
  loadSuppression,
  type Suppression,
  type SuppressionOptions,
} from './finalize.js';
export { scanFilesystem } from './fs.js';
export { type ImageScanOptions, inventoryImage, scanImage } from './image.js';
export { buildInventory, type Inventory } from './inventory.js';
export { type LiveClusterOptions, scanLiveCluster } from './k8s.js';
export {
  type GeneratedPolicies,
  loadNetpolCluster,
  netpolBlastRadius,
  netpolExplain,
  netpolGenerate,
  netpolMatrix,
  scanNetpol,
} from './netpol.js';
export { nothingProbed, type ProbeScanOptions, scanProbe } from './probe.js';
export type { ProgressOptions } from './progress.js';
export { loadRbacAuthorizer, rbacCan, rbacWhoCan, scanRbac } from './rbac.js';
export { assertAttestable, attestScannedSbom, type SbomAttestOptions } from './sbom-attest.js';
export { SbomError, type SbomScanOptions, sbomTargetPath, scanSbom } from './sbom-in/index.js';
export { parseScanners, SCANNERS, type Scanner } from './scanners.js';
export { type AttestingOptions, attestImageRef, type SigningOptions, signImageRef } from './sign.js';
export { signatureFinding, trustResult } from './trust-result.js';
export {
  type AttestationCheckOptions,
  type AttestationVerdict,
  type ImageVerdict,
  type KeysInput,
  type RegistryOptions,
  type VerifyCheck,
  verifyAttestations,
  verifyImage,
} from './verify.js';
