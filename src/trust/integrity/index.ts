export {
  type IntegrityCheck,
  type IntegrityKind,
  type IntegrityReport,
  verifyIntegrity,
} from './integrity.js';
