import {
  type Finding,
  type FindingKind,
  type Package,
  severityRank,
  severityRating,
} from '../../core/index.js';
import { doorOf, KIND_LABELS } from './doors.js';
import { html, type Raw } from './markup.js';

/** One cell: its markup and the key the client sorts by (numbers for `num` columns). */
interface Cell {
  readonly html: Raw | string;
  readonly sort: string | number;
}

interface Column<T> {
  readonly label: string;
  readonly type?: 'num';
  /** the column the rows are first shown sorted by (descending) */
  readonly initial?: true;
  readonly cell: (row: T) => Cell;
}

type Ev = Readonly<Record<string, unknown>>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const text = (s: string | undefined): Cell => ({ html: s ?? '', sort: s ?? '' });
const code = (s: string | undefined): Cell => ({ html: s ? html`<code>${s}</code>` : '', sort: s ?? '' });

/** Severity as a badge, with the CVSS base score it came from when there is one. */
export function severityCell(f: Finding): Cell {
  const score = severityRating(f)?.score;
  return {
    html: html`<span class="badge sev-${f.severity}">${f.severity}</span>${
      score !== undefined ? html`<span class="score" title="CVSS base score">${score.toFixed(1)}</span>` : ''
    }`,
    sort: severityRank(f.severity) * 100 + (score ?? 0),
  };
}

function idCell(f: Finding): Cell {
  return {
    html: html`<span class="ids"><code>${f.id}</code>${(f.aliases ?? []).map(
      (a) => html`<span class="alias">${a}</span>`,
    )}</span>`,
    sort: f.id,
  };
}

export function locationText(f: Finding): string {
  const l = f.location;
  const path = l.path ? `${l.path}${l.line !== undefined ? `:${l.line}` : ''}` : undefined;
  return [l.resource, path].filter(Boolean).join(' · ');
}

/** The one line of evidence that says most, whatever the kind's evidence shape. */
function detail(ev: Ev): string {
  for (const k of ['message', 'detail', 'reason', 'explanation', 'output', 'request']) {
    const v = str(ev[k]);
    if (v) return v;
  }
  if (typeof ev.setting === 'string') {
    return `${ev.setting}: ${ev.value === null || ev.value === undefined ? '(absent)' : String(ev.value)}${
      ev.expected ? `, expected ${String(ev.expected)}` : ''
    }`;
  }
  return '';
}

const ID: Column<Finding> = { label: 'ID', cell: idCell };
const SEVERITY: Column<Finding> = { label: 'Severity', type: 'num', initial: true, cell: severityCell };
const TITLE: Column<Finding> = { label: 'Title', cell: (f) => text(f.title) };
const LOCATION: Column<Finding> = { label: 'Location', cell: (f) => code(locationText(f) || undefined) };
const DETAIL: Column<Finding> = { label: 'Detail', cell: (f) => text(detail(f.evidence as Ev)) };
const ev = (f: Finding): Ev => f.evidence as Ev;

const COLUMNS: Readonly<Record<FindingKind, readonly Column<Finding>[]>> = {
  vulnerability: [
    { label: 'Advisory', cell: idCell },
    { label: 'Package', cell: (f) => code(f.package?.name) },
    {
      label: 'Installed → fixed',
      cell: (f) => ({
        html: html`<code>${f.package?.version}</code><span class="arrow" aria-label="fixed in">→</span>${
          f.fixedVersion ? html`<code>${f.fixedVersion}</code>` : html`<span class="muted">no fix</span>`
        }`,
        sort: f.package?.version ?? '',
      }),
    },
    SEVERITY,
    { label: 'Status', cell: (f) => text(f.status) },
    TITLE,
    { label: 'Path', cell: (f) => code(f.location.path) },
  ],
  secret: [
    { label: 'Rule', cell: idCell },
    { label: 'Category', cell: (f) => text(str(ev(f).category)) },
    SEVERITY,
    { label: 'Match (redacted)', cell: (f) => code(str(ev(f).match)) },
    LOCATION,
    TITLE,
  ],
  misconfiguration: [ID, SEVERITY, TITLE, LOCATION, DETAIL],
  rbac: [
    ID,
    SEVERITY,
    TITLE,
    {
      label: 'Subject / role',
      cell: (f) =>
        code(
          [str(ev(f).subject) ?? str(ev(f).binding), str(ev(f).role)].filter(Boolean).join(' → ') ||
            undefined,
        ),
    },
    LOCATION,
  ],
  network: [ID, SEVERITY, TITLE, LOCATION, DETAIL],
  exposure: [
    ID,
    SEVERITY,
    TITLE,
    { label: 'Endpoint', cell: (f) => code(f.location.resource) },
    { label: 'Service', cell: (f) => text(str(ev(f).service) ?? str(ev(f).request)) },
  ],
  signature: [ID, SEVERITY, TITLE, LOCATION, { label: 'Reason', cell: (f) => text(str(ev(f).reason)) }],
  audit: [
    { label: 'Rule', cell: idCell },
    SEVERITY,
    { label: 'User', cell: (f) => code(str(ev(f).user)) },
    { label: 'Verb', cell: (f) => text(str(ev(f).verb)) },
    { label: 'Resource', cell: (f) => code(str(ev(f).resource) ?? f.location.resource) },
    { label: 'Output', cell: (f) => text(str(ev(f).output)) },
  ],
  'attack-path': [
    ID,
    SEVERITY,
    TITLE,
    {
      label: 'Path',
      cell: (f) => {
        const hops = Array.isArray(ev(f).hops) ? (ev(f).hops as readonly Ev[]) : [];
        return text(hops.map((h) => String(h.ref ?? '?')).join(' → ') || undefined);
      },
    },
  ],
};

function header<T>(columns: readonly Column<T>[], withExpand: boolean): Raw {
  return html`<thead><tr>${withExpand ? html`<th scope="col"><span class="sr-only">Evidence</span></th>` : ''}${columns.map(
    (c) =>
      html`<th scope="col"${c.type === 'num' ? html` data-type="num"` : ''} aria-sort="${
        c.initial ? 'descending' : 'none'
      }"><button type="button" class="sort">${c.label}</button></th>`,
  )}</tr></thead>`;
}

function cells<T>(columns: readonly Column<T>[], row: T): Raw {
  return html`${columns.map((c) => {
    const cell = c.cell(row);
    return html`<td data-sort="${String(cell.sort)}">${cell.html}</td>`;
  })}`;
}

/** What the search box matches: the text a user would type to find this finding. */
function searchText(f: Finding): string {
  return [
    f.id,
    ...(f.aliases ?? []),
    f.kind,
    f.severity,
    f.title,
    f.package?.name,
    f.package?.version,
    f.fixedVersion,
    locationText(f),
    detail(f.evidence as Ev),
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

function facts(entries: readonly (readonly [string, string | number | undefined])[]): Raw {
  const shown = entries.filter(([, v]) => v !== undefined && v !== '');
  return shown.length
    ? html`<dl class="facts">${shown.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`
    : html``;
}

/** The expandable part of a finding: description, where, the whole evidence, references (as text). */
export function evidenceBody(f: Finding): Raw {
  const l = f.location;
  return html`${f.description ? html`<p>${f.description}</p>` : ''}${facts([
    ['Kind', f.kind],
    ['Aliases', f.aliases?.join(', ')],
    ['Package', f.package ? `${f.package.name} ${f.package.version}` : undefined],
    ['purl', f.package?.purl],
    ['Fixed version', f.fixedVersion],
    ['Status', f.status],
    ['Resource', l.resource],
    ['Path', l.path],
    ['Line', l.line !== undefined ? `${l.line}${l.endLine !== undefined ? `-${l.endLine}` : ''}` : undefined],
    ['Layer', l.layer],
  ])}<h3>Evidence</h3><pre>${JSON.stringify(f.evidence, null, 2)}</pre>${
    f.references?.length
      ? html`<h3>References</h3><ul class="refs">${f.references.map((r) => html`<li><code>${r}</code></li>`)}</ul>`
      : ''
  }`;
}

const bySeverity = (a: Finding, b: Finding): number => severityRank(b.severity) - severityRank(a.severity);

/** One kind's findings: a sortable table, one <tbody> per finding (its row and its evidence row). */
export function findingSection(kind: FindingKind, findings: readonly Finding[], startId: number): Raw {
  const columns = COLUMNS[kind];
  const rows = [...findings].sort(bySeverity);
  const span = columns.length + 1;
  return html`<section class="card findings" id="kind-${kind}" data-kind="${kind}" data-door="${doorOf(kind)}" aria-labelledby="h-${kind}">
<h2 id="h-${kind}">${KIND_LABELS[kind]} <span class="muted">(<span class="shown">${rows.length}</span> of ${rows.length})</span></h2>
<div class="table-wrap"><table class="sortable" data-kind="${kind}">
<caption class="sr-only">${KIND_LABELS[kind]}: select a column heading to sort, the arrow button of a row to show its evidence</caption>
${header(columns, true)}
${rows.map((f, i) => {
  const id = `ev-${startId + i}`;
  return html`<tbody class="finding" data-sev="${f.severity}" data-kind="${kind}" data-door="${doorOf(kind)}" data-text="${searchText(f)}">
<tr class="row"><td><button type="button" class="expand" aria-expanded="false" aria-controls="${id}"><span class="sr-only">Evidence of ${f.id}</span></button></td>${cells(columns, f)}</tr>
<tr class="evidence" id="${id}"><td colspan="${span}">${evidenceBody(f)}</td></tr>
</tbody>
`;
})}</table></div>
<p class="none-shown" hidden>No ${KIND_LABELS[kind].toLowerCase()} match the filter.</p>
</section>
`;
}

/** Suppressed findings (never counted): what, and which ignore-file entry or VEX statement. */
export function suppressedSection(findings: readonly Finding[]): Raw {
  if (!findings.length) return html``;
  const columns: readonly Column<Finding>[] = [
    ID,
    { label: 'Kind', cell: (f) => text(f.kind) },
    SEVERITY,
    TITLE,
    {
      label: 'Suppressed by',
      cell: (f) => {
        const s = (f.evidence as { suppression?: Ev }).suppression ?? {};
        const why = [str(s.by), str(s.file), str(s.statement), str(s.reason), str(s.justification)];
        return text(why.filter(Boolean).join(' · ') || JSON.stringify(s));
      },
    },
  ];
  return html`<details class="card section" id="suppressed"><summary>Suppressed findings (${findings.length})</summary>
<p class="muted">Findings an ignore file or VEX statement suppressed: not counted above and never gated.</p>
<div class="table-wrap"><table class="sortable">${header(columns, false)}${findings.map(
    (f) => html`<tbody><tr>${cells(columns, f)}</tr></tbody>`,
  )}</table></div></details>
`;
}

/** Every package found, with where it came from and how many findings it has. */
export function packagesSection(packages: readonly Package[], findings: readonly Finding[]): Raw {
  if (!packages.length) return html``;
  const hits = new Map<string, number>();
  for (const f of findings) if (f.package) hits.set(f.package.purl, (hits.get(f.package.purl) ?? 0) + 1);
  const columns: readonly Column<Package>[] = [
    { label: 'Name', cell: (p) => code(p.name) },
    { label: 'Version', cell: (p) => code(p.version) },
    { label: 'Ecosystem', cell: (p) => text(p.ecosystem) },
    {
      label: 'Findings',
      type: 'num',
      cell: (p) => ({ html: String(hits.get(p.purl) ?? 0), sort: hits.get(p.purl) ?? 0 }),
    },
    { label: 'Path', cell: (p) => code(p.path) },
    { label: 'Layer', cell: (p) => code(p.layer ? p.layer.replace(/^sha256:/, '').slice(0, 12) : undefined) },
  ];
  return html`<details class="card section" id="packages"><summary>Packages (${packages.length})</summary>
<p><label>Filter packages <input type="search" data-filter-table="packages-table" autocomplete="off"></label></p>
<div class="table-wrap"><table class="sortable" id="packages-table">${header(columns, false)}${packages.map(
    (p) =>
      html`<tbody class="pkg" data-text="${[p.name, p.version, p.ecosystem, p.path, p.purl].join(' ').toLowerCase()}"><tr>${cells(columns, p)}</tr></tbody>`,
  )}</table></div></details>
`;
}
