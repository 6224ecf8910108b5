import type { SbomInventory, Skipped } from './inventory.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function skipped(file: string, s: Skipped | undefined, of: number, why: [string, string]): string[] {
  if (!s) return [];
  const one = s.count === 1;
  return [
    `${file}: ${s.count} of ${plural(of, 'component')} ${one ? why[0] : why[1]} and ${one ? 'was' : 'were'} not checked for vulnerabilities (first: ${s.first})`,
  ];
}

/**
 * What the SBOM scan could not check, one line each (a warning on stderr and an `errors[]` entry):
 * components without a purl, with a purl that is none, without a version, and packages of types
 * that no advisory ecosystem covers. Never silent, as a scan must not pass for "0 findings".
 */
export function skipNotes(file: string, inv: SbomInventory): string[] {
  const out = [
    ...skipped(file, inv.noPurl, inv.candidates, ['has no package URL (purl)', 'have no package URL (purl)']),
    ...skipped(file, inv.badPurl, inv.candidates, [
      'has a purl that is not a valid package URL',
      'have a purl that is not a valid package URL',
    ]),
    ...skipped(file, inv.noVersion, inv.candidates, ['has no version', 'have no version']),
  ];
  if (inv.unmatchable.size > 0) {
    const types = [...inv.unmatchable].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const total = types.reduce((n, [, c]) => n + c, 0);
    const list = types.map(([t, n]) => `${t} (${n})`).join(', ');
    out.push(
      `${file}: ${plural(total, 'package')} of purl types without an advisory ecosystem (or an OS package whose distribution the SBOM does not name) ${total === 1 ? 'was' : 'were'} listed but not checked: ${list}`,
    );
  }
  return out;
}
