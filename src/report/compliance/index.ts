export { writeConfigTable } from './config-table.js';
export {
  COMPLIANCE_SPECS,
  type ComplianceReport,
  type ComplianceSpecId,
  type ControlResult,
  complianceLevel,
  parseComplianceSpec,
  pssCompliance,
} from './pss.js';
export { renderCompliance } from './render.js';
