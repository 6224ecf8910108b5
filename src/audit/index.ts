export { AuditError, type AuditErrorCode } from './errors.js';
export { type AuditRecord, auditEvents, MAX_LINE_BYTES, readAuditStream } from './events.js';
export { FIELDS, type FieldValue, type Json } from './fields.js';
export { alertFinding, eventExcerpt, PRIORITY_SEVERITY } from './findings.js';
export { type FollowOptions, followLog, type LogSegment } from './follow.js';
export { BUILTIN_RULES_PATH, loadRuleFiles, loadRuleTexts } from './load.js';
export { type Alert, type CompiledRule, RuleSet } from './rule-set.js';
export { ENGINE_VERSION, K8S_AUDIT_SOURCE, PRIORITIES, type Priority, type RuleDef } from './rule-types.js';
export { AuditServer, type AuditServerOptions, MAX_BATCH_BYTES } from './server.js';
