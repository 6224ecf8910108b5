import type { Finding, FindingKind } from '../../core/types.js';
import { grid, type Section, type SectionOptions, sev, shortLayer, totals, where } from './cells.js';
import { renderTable } from './grid.js';
import { workloadOf } from './targets.js';
import { cleanText } from './text.js';

/** Findings of one kind grouped by a key (a file, a resource), in key order. */
function byKey(findings: readonly Finding[], key: (f: Finding) => string): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = key(f);
    out.set(k, [...(out.get(k) ?? []), f]);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The file (or resource) a finding is in, under its workload container when an image scan put it there. */
function placeOf(f: Finding): string {
  const place = f.location.path ?? f.location.resource ?? '-';
  const workload = workloadOf(f.location);
  return workload ? `${workload}: ${place}` : place;
}

/** Secrets per file: the line and, in an image, the layer that holds the file. */
export function secretSections(findings: readonly Finding[], o: SectionOptions): Section[] {
  const secrets = findings.filter((f) => f.kind === 'secret');
  return [...byKey(secrets, placeOf)].map(([file, list]) => {
    const layered = list.some((f) => f.location.layer);
    const table = renderTable(
      ['SEVERITY', 'ID', 'LINE', ...(layered ? ['LAYER'] : []), 'TITLE'],
      list.map((f) => [
        sev(f, o),
        cleanText(f.id),
        f.location.line ? String(f.location.line) : '',
        ...(layered ? [shortLayer(f.location.layer)] : []),
        cleanText(f.title),
      ]),
      grid(o),
    );
    return {
      title: `${cleanText(file)} (secrets)`,
      body: [`Secrets: ${totals(list)}`, '', table],
    };
  });
}

/** Misconfigurations per file (or per resource when there is no file: an image's config). */
export function misconfigurationSections(findings: readonly Finding[], o: SectionOptions): Section[] {
  const misconfigs = findings.filter((f) => f.kind === 'misconfiguration');
  return [...byKey(misconfigs, placeOf)].map(([file, list]) => ({
    title: `${cleanText(file)} (misconfigurations)`,
    body: [`Misconfigurations: ${totals(list)}`, '', genericTable(list, o)],
  }));
}

const OTHER_TITLES: Record<Exclude<FindingKind, 'vulnerability' | 'secret' | 'misconfiguration'>, string> = {
  rbac: 'RBAC',
  network: 'Network policies',
  exposure: 'Exposures',
  signature: 'Signatures',
  audit: 'Audit events',
  'attack-path': 'Attack paths',
};

/** Every other kind in a section of its own. */
export function otherSections(findings: readonly Finding[], o: SectionOptions): Section[] {
  const sections: Section[] = [];
  for (const [kind, title] of Object.entries(OTHER_TITLES)) {
    const list = findings.filter((f) => f.kind === kind);
    if (list.length) {
      sections.push({
        title,
        body: [`Findings: ${totals(list)}`, '', genericTable(list, o)],
      });
    }
  }
  return sections;
}

function genericTable(findings: readonly Finding[], o: SectionOptions): string {
  return renderTable(
    ['SEVERITY', 'ID', 'LOCATION', 'TITLE'],
    findings.map((f) => [sev(f, o), cleanText(f.id), where(f), cleanText(f.title)]),
    grid(o),
  );
}
