export { contentUuid, uuidV5 } from './content-uuid.js';
export {
  combineLicenses,
  licenseRefId,
  type NormalizedLicense,
  normalizeLicense,
  normalizeLicenses,
} from './license.js';
export { SPDX_EXCEPTION_IDS, SPDX_LICENSE_IDS } from './license-ids.js';
export { applicationIndexes, isApplication, ownerIndexes } from './owner.js';
export { isOsPackage, layerIndex, packageProvenance } from './provenance.js';
export { type DocumentTimes, documentTimes, EPOCH, toUtcSecond } from './timestamp.js';
export type { SpdxDocument, SpdxPackage, SpdxRelationship } from './types.js';
export { writeSpdx } from './write.js';
