import type { Finding, VulnerabilityFinding } from '../../core/finding/index.js';
import { severityRank } from '../../core/severity.js';
import { cdxRatings } from './ratings.js';
import type { CdxComponent, CdxProperty, CdxVulnerability } from './types.js';

const osv = (id: string) => ({ name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}` });

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const unique = (values: readonly string[]) => [...new Set(values)].sort(cmp);

/** The components a finding's package matches: same purl, else same name and version. */
function affected(f: Finding, components: readonly CdxComponent[]): string[] {
  const p = f.package;
  if (!p) return [];
  const byPurl = components.filter((c) => p.purl && c.purl === p.purl);
  const hits =
    byPurl.length > 0 ? byPurl : components.filter((c) => c.name === p.name && c.version === p.version);
  return hits.map((c) => c['bom-ref']);
}

/**
 * Vulnerability findings as CycloneDX vulnerabilities: one entry per advisory id, affecting every
 * component it was found in, rated by every CVSS vector the advisory carries (else by its worst severity). Other finding kinds have no place
 * in an SBOM and are left out.
 */
export function cdxVulnerabilities(
  findings: readonly Finding[],
  components: readonly CdxComponent[],
): CdxVulnerability[] {
  const groups = new Map<string, VulnerabilityFinding[]>();
  for (const f of findings) {
    if (f.kind !== 'vulnerability') continue;
    groups.set(f.id, [...(groups.get(f.id) ?? []), f]);
  }
  return [...groups.keys()].sort(cmp).map((id) => {
    const group = groups.get(id)!;
    const worstFirst = [...group].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    const worst = worstFirst[0]!;
    const aliases = unique(group.flatMap((f) => f.aliases ?? [])).filter((a) => a !== id);
    const urls = unique(group.flatMap((f) => f.references ?? [])).filter((u) => /^https?:\/\/\S+$/.test(u));
    const fixes = unique(
      group.filter((f) => f.fixedVersion && f.package).map((f) => `${f.package!.name} ${f.fixedVersion}`),
    );
    const properties: CdxProperty[] = unique(group.flatMap((f) => (f.status ? [f.status] : []))).map((s) => ({
      name: 'strata:vulnerability:status',
      value: s,
    }));
    return {
      id,
      source: osv(id),
      ...(aliases.length ? { references: aliases.map((a) => ({ id: a, source: osv(a) })) } : {}),
      ratings: cdxRatings(worstFirst, osv(id)),
      description: worst.description ?? worst.title,
      ...(fixes.length ? { recommendation: `Upgrade to a fixed version: ${fixes.join(', ')}` } : {}),
      ...(urls.length ? { advisories: urls.map((url) => ({ url })) } : {}),
      affects: unique(group.flatMap((f) => affected(f, components))).map((ref) => ({ ref })),
      ...(properties.length ? { properties } : {}),
    };
  });
}
