import type { VulnerabilityFinding } from '../../core/finding/index.js';
import type { Package, ScanResult } from '../../core/types.js';
import { grid, type Section, type SectionOptions, sev, shortLayer, totals } from './cells.js';
import { renderTable } from './grid.js';
import { compareTargets, inWorkload, type Target, targetOf } from './targets.js';
import { cleanText } from './text.js';

function vulnerabilityTable(findings: readonly VulnerabilityFinding[], o: SectionOptions): string {
  return renderTable(
    ['SEVERITY', 'ID', 'PACKAGE', 'INSTALLED', 'FIXED', 'TITLE'],
    findings.map((f) => [
      sev(f, o),
      cleanText(f.id),
      cleanText(f.package.name),
      cleanText(f.package.version),
      cleanText(f.fixedVersion ?? ''),
      cleanText(f.title),
    ]),
    grid(o),
  );
}

/** The package list of a target; the OS package that installed a language package when known. */
function packageTable(packages: readonly Package[], o: SectionOptions): string {
  const owners = packages.map(ownerOf);
  const owned = owners.some(Boolean);
  const layered = packages.some((p) => p.layer);
  const headers = ['PACKAGE', 'VERSION', ...(owned ? ['OWNED BY'] : []), ...(layered ? ['LAYER'] : [])];
  const rows = packages.map((p, i) => [
    cleanText(p.name),
    cleanText(p.version),
    ...(owned ? [owners[i] ?? ''] : []),
    ...(layered ? [shortLayer(p.layer)] : []),
  ]);
  return renderTable(headers, rows, { ...grid(o), flex: 0 });
}

/** The OS package that installed a language package (`ownedBy`), when the scan recorded one. */
function ownerOf(p: Package): string | undefined {
  return p.ownedBy ? cleanText(`${p.ownedBy.name} ${p.ownedBy.version}`) : undefined;
}

interface TargetGroup {
  readonly target: Target;
  readonly packages: Package[];
  readonly findings: VulnerabilityFinding[];
}

/** OS packages first, then each lockfile, binary or group of installed copies, with their vulnerabilities. */
export function packageSections(result: ScanResult, o: SectionOptions): Section[] {
  const groups = new Map<string, TargetGroup>();
  const group = (target: Target): TargetGroup => {
    const known = groups.get(target.key);
    if (known) return known;
    const created: TargetGroup = { target, packages: [], findings: [] };
    groups.set(target.key, created);
    return created;
  };
  const ecosystems = new Map<string, string>();
  for (const p of result.packages) {
    ecosystems.set(`${p.purl}\0${p.path}`, p.ecosystem);
    group(targetOf(p.purl, p.path, p.ecosystem, result.os)).packages.push(p);
  }
  for (const f of result.findings) {
    if (f.kind !== 'vulnerability') continue;
    const ecosystem = ecosystems.get(`${f.package.purl}\0${f.location.path}`) ?? f.evidence.ecosystem;
    group(
      inWorkload(targetOf(f.package.purl, f.location.path, ecosystem, result.os), f.location),
    ).findings.push(f);
  }
  const sections: Section[] = [];
  for (const g of [...groups.values()].sort((a, b) => compareTargets(a.target, b.target))) {
    if (g.findings.length === 0 && !o.listAllPackages) continue;
    const body = [`Vulnerabilities: ${totals(g.findings)}`];
    if (g.findings.length) body.push('', vulnerabilityTable(g.findings, o));
    if (o.listAllPackages && g.packages.length) {
      body.push('', `Packages: ${g.packages.length}`, '', packageTable(g.packages, o));
    }
    sections.push({ title: cleanText(g.target.title), body });
  }
  return sections;
}
