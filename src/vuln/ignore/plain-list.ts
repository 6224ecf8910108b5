import { VulnError } from '../errors.js';
import type { IgnoreRule } from './types.js';

/**
 * Trivy's plain `.trivyignore` list: one id a line, blank lines and `#` comments skipped, an
 * optional `exp:YYYY-MM-DD` after the id (the entry stops ignoring after that day), and an optional
 * trailing `# reason`. A line of any other shape is an error naming it, never silently dropped.
 */
const LINE = /^(?<id>[^\s#]+)(?:\s+exp:(?<expires>\S+))?\s*(?:#\s*(?<reason>.*))?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parsePlainList(file: string, text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = LINE.exec(line);
    const where = `${file}:${i + 1}`;
    if (!m?.groups?.id) {
      throw new VulnError(
        'IGNOREFILE_INVALID',
        `${where}: expected "ID" or "ID exp:YYYY-MM-DD", got ${JSON.stringify(line.slice(0, 80))}`,
      );
    }
    const { id, expires, reason } = m.groups;
    if (expires !== undefined && (!DAY.test(expires) || Number.isNaN(Date.parse(expires)))) {
      throw new VulnError('IGNOREFILE_INVALID', `${where}: exp:${expires} is not a date (YYYY-MM-DD)`);
    }
    rules.push({
      id,
      ...(expires ? { expires } : {}),
      ...(reason?.trim() ? { reason: reason.trim() } : {}),
    });
  });
  return rules;
}
