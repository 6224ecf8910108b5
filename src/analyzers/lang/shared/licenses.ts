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
