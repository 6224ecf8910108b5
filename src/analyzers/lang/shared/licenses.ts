import type { PackageDraft } from '../../types.js';
import { type Dict, isDict, list, str } from './values.js';

/** License strings as declared, trimmed, without placeholders, order kept, duplicates removed. */
export function cleanLicenses(values: readonly (string | undefined)[]): string[] | undefined {
  const out: string[] = [];
  for (const v of values) {
    const s = v?.trim();
    if (!s || /^(unknown|none|n\/a|-)$/i.test(s) || out.includes(s)) continue;
    out.push(s);
  }
  return out.length ? out : undefined;
}

/** `license: "MIT"`, `license: { type }`, or the old `licenses: [{ type }]`. */
export function npmLicenses(manifest: Dict): PackageDraft['licenses'] {
  const one = manifest.license;
  const many = list(manifest.licenses);
  const values = [one, ...many].map((v) => (isDict(v) ? str(v.type) : str(v)));
  return cleanLicenses(values);
}
