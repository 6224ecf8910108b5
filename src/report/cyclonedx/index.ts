export { packageBomRefs } from './bom-ref.js';
export { contact, licenseChoice } from './component.js';
export type { CdxBom, CdxComponent, CdxDependency, CdxVulnerability } from './types.js';
export { cdxVulnerabilities } from './vulnerabilities.js';
export { writeCycloneDx } from './write.js';
