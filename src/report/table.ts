import type { ScanResult } from '../core/types.js';
import { ownedPackagesNote } from './owned.js';
import { renderSection, type Section, totals } from './table/cells.js';
import { misconfigurationSections, otherSections, secretSections } from './table/finding-sections.js';
import { packageSections } from './table/package-sections.js';
import { cleanText } from './table/text.js';
import type { WriteOptions } from './types.js';

export { severityText } from './table/cells.js';
export { type GridOptions, renderTable } from './table/grid.js';

/**
 * The human report, grouped by target as Trivy's: OS packages, then each lockfile, binary or group of
 * installed copies with its vulnerabilities; then secrets per file, misconfigurations per file, and
 * every other kind in a section of its own. Widths fit `options.width` (the terminal), colours never
 * count toward them, and untrusted text (advisory titles, file names) is shown without control characters.
 */
export function writeTable(result: ScanResult, options: WriteOptions = {}): string {
  const t = result.target;
  const out: string[] = [cleanText(t.name)];
  if (t.digest) out.push(`Digest: ${t.digest}`);
  if (result.os) out.push(`OS: ${cleanText(`${result.os.family} ${result.os.version}`)}`);
  out.push(`Packages: ${result.packages.length}   Findings: ${totals(result.findings)}`);
  const sections: Section[] = [
    ...packageSections(result, options),
    ...secretSections(result.findings, options),
    ...misconfigurationSections(result.findings, options),
    ...otherSections(result.findings, options),
  ];
  for (const section of sections) out.push('', renderSection(section));
  if (sections.length === 0) {
    out.push(
      '',
      result.packages.length ? 'No findings (--list-all-pkgs lists the packages).' : 'No findings.',
    );
  }
  const owned = ownedPackagesNote(result);
  if (owned.length > 0) out.push('', ...owned);
  if (result.errors.length > 0) {
    out.push('', `Errors (${result.errors.length}):`);
    for (const e of result.errors) {
      out.push(`  ${cleanText(`${e.analyzer}${e.path ? ` ${e.path}` : ''}: ${e.message}`)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
