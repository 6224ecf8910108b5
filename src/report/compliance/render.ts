import type { ComplianceReport } from '../../kube/index.js';
import { renderTable } from '../table.js';

/** The compliance summary as text: one row per control with its status and failing resource count. */
export function renderCompliance(report: ComplianceReport): string {
  const rows = report.controls.map((c) => [c.id, c.name, c.severity, c.status, String(c.resources.length)]);
  return [
    `${report.title} ${report.version}: ${report.summary.pass} passed, ${report.summary.fail} failed`,
    '',
    renderTable(['CONTROL', 'NAME', 'SEVERITY', 'STATUS', 'FAILED RESOURCES'], rows),
    '',
  ].join('\n');
}
