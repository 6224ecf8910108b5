import {
  FINDING_KINDS,
  type Finding,
  type FindingKind,
  type ScanResult,
  SEVERITIES,
  type Severity,
} from '../../core/index.js';
import type { WriteOptions } from '../types.js';
import { assets } from './assets.js';
import { type Bar, barChart, legend } from './charts.js';
import { DOORS, doorOf, KIND_LABELS } from './doors.js';
import { embedJson, html, Raw } from './markup.js';
import { findingSection, packagesSection, suppressedSection } from './tables.js';

const zero = (): Record<Severity, number> => ({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 });

function countBy<K extends string>(
  findings: readonly Finding[],
  key: (f: Finding) => K,
): Map<K, Record<Severity, number>> {
  const out = new Map<K, Record<Severity, number>>();
  for (const f of findings) {
    const k = key(f);
    const c = out.get(k) ?? zero();
    c[f.severity]++;
    out.set(k, c);
  }
  return out;
}

const TARGET_TYPES: Readonly<Record<string, string>> = {
  container_image: 'container image',
  filesystem: 'filesystem',
  kubernetes: 'Kubernetes manifests',
  cluster: 'cluster',
};

function overview(result: ScanResult, options: WriteOptions): Raw {
  const t = result.target;
  const os = result.os ? `${result.os.name ?? result.os.family} ${result.os.version}` : undefined;
  const scanners = options.scanners
    ? options.scanners.length
      ? options.scanners.join(', ')
      : 'none (packages only)'
    : undefined;
  const rows: [string, string | number | undefined][] = [
    ['Type', TARGET_TYPES[t.type] ?? t.type],
    ['Digest', t.digest],
    ['Index digest', t.indexDigest],
    ['OS', os],
    ['Scanners', scanners],
    ['Packages', result.packages.length],
    ['Layers', result.layers?.length],
    ['Findings', result.findings.length],
    ['Suppressed', result.suppressed?.length || undefined],
    ['Errors', result.errors.length || undefined],
  ];
  return html`<section class="card" aria-labelledby="h-target"><h2 id="h-target">Target</h2>
<p class="target-name"><code>${t.name}</code></p>
<dl class="facts">${rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(
      ([k, v]) =>
        html`<dt>${k}</dt><dd${k === 'Digest' || k === 'Index digest' ? html` class="mono"` : ''}>${v}</dd>`,
    )}</dl>
</section>`;
}

function counts(findings: readonly Finding[]): Raw {
  const bySev = countBy(findings, (f) => f.severity);
  const byDoor = countBy(findings, (f) => doorOf(f.kind));
  const sevTotal = (s: Severity) => Object.values(bySev.get(s) ?? zero()).reduce((a, b) => a + b, 0);
  const doorTotal = (d: string) => Object.values(byDoor.get(d as never) ?? zero()).reduce((a, b) => a + b, 0);
  const sevBars: Bar[] = SEVERITIES.map((s) => ({ label: s, counts: bySev.get(s) ?? zero() }));
  const byKind = countBy(findings, (f) => f.kind);
  const kindBars: Bar[] = FINDING_KINDS.filter((k) => byKind.has(k)).map((k) => ({
    label: KIND_LABELS[k],
    counts: byKind.get(k) ?? zero(),
  }));
  const doorBars: Bar[] = DOORS.map((d) => ({
    label: d.label.replace(/:.*/, ''),
    counts: byDoor.get(d.id) ?? zero(),
  }));
  return html`<section class="card" aria-labelledby="h-sev"><h2 id="h-sev">By severity</h2>
<ul class="counts" id="counts-severity">${SEVERITIES.map(
    (s) => html`<li class="sev-${s}" data-severity="${s}"><span class="n">${sevTotal(s)}</span>${s}</li>`,
  )}</ul>
${barChart('chart-severity', 'Findings by severity', sevBars, 80)}
</section>
<section class="card" aria-labelledby="h-door"><h2 id="h-door">By door</h2>
<ul class="counts" id="counts-door">${DOORS.map(
    (d) =>
      html`<li class="door-${d.id}" data-door="${d.id}" title="${d.kinds.join(', ')}"><span class="n">${doorTotal(d.id)}</span>${d.label}</li>`,
  )}</ul>
${barChart('chart-door', 'Findings by door, stacked by severity', doorBars, 170)}${
  kindBars.length
    ? html`<h3>By kind</h3>${barChart('chart-kind', 'Findings by kind, stacked by severity', kindBars, 170)}`
    : ''
}${legend()}
</section>`;
}

function errorsBanner(result: ScanResult): Raw {
  if (!result.errors.length) return html``;
  return html`<section class="card banner" aria-labelledby="h-errors"><h2 id="h-errors">The scan is partial: ${result.errors.length} ${
    result.errors.length === 1 ? 'error' : 'errors'
  }</h2><ul>${result.errors.map(
    (e) =>
      html`<li><code>${e.analyzer}</code>${e.path ? html` <code>${e.path}</code>` : ''}: ${e.message}</li>`,
  )}</ul></section>`;
}

function filters(kinds: readonly FindingKind[], total: number): Raw {
  return html`<section class="card filters" aria-label="Filter findings">
<label>Search <input type="search" id="filter-text" placeholder="id, package, title, path" autocomplete="off"></label>
<fieldset><legend>Severity</legend>${SEVERITIES.map(
    (s) => html`<label><input type="checkbox" name="severity" value="${s}" checked> ${s}</label>`,
  )}</fieldset>
<label>Kind <select id="filter-kind"><option value="">all</option>${DOORS.filter((d) =>
    d.kinds.some((k) => kinds.includes(k)),
  ).map(
    (d) =>
      html`<optgroup label="${d.label}"><option value="door:${d.id}">all of ${d.label}</option>${d.kinds
        .filter((k) => kinds.includes(k))
        .map((k) => html`<option value="kind:${k}">${KIND_LABELS[k]}</option>`)}</optgroup>`,
  )}</select></label>
<span id="shown-total" aria-live="polite">${total} of ${total} findings shown</span>
</section>`;
}

function layersSection(result: ScanResult): Raw {
  const layers = result.layers ?? [];
  if (!layers.length) return html``;
  const pkgs = new Map<string, number>();
  for (const p of result.packages) if (p.layer) pkgs.set(p.layer, (pkgs.get(p.layer) ?? 0) + 1);
  const hits = new Map<string, number>();
  for (const f of result.findings)
    if (f.location.layer) hits.set(f.location.layer, (hits.get(f.location.layer) ?? 0) + 1);
  return html`<details class="card section" id="layers"><summary>Layers (${layers.length})</summary>
<div class="table-wrap"><table><thead><tr><th scope="col">#</th><th scope="col">Digest</th><th scope="col">Size</th><th scope="col">Packages added</th><th scope="col">Findings</th><th scope="col">Created by</th></tr></thead><tbody>${layers.map(
    (l, i) =>
      html`<tr><td>${i + 1}</td><td><code title="${l.digest}">${l.digest.replace(/^sha256:/, '').slice(0, 12)}</code></td><td>${l.size.toLocaleString('en-US')} B</td><td>${pkgs.get(l.digest) ?? 0}</td><td>${hits.get(l.digest) ?? 0}</td><td><code>${l.createdBy ?? ''}</code></td></tr>`,
  )}</tbody></table></div></details>`;
}

function complianceSection(options: WriteOptions): Raw {
  const c = options.compliance;
  if (!c) return html``;
  return html`<section class="card" id="compliance" aria-labelledby="h-compliance"><h2 id="h-compliance">${c.title} ${c.version}: ${c.summary.pass} passed, ${c.summary.fail} failed</h2>
<div class="table-wrap"><table><thead><tr><th scope="col">Control</th><th scope="col">Name</th><th scope="col">Severity</th><th scope="col">Status</th><th scope="col">Failed resources</th></tr></thead><tbody>${c.controls.map(
    (r) =>
      html`<tr><td><code>${r.id}</code></td><td>${r.name}</td><td><span class="badge sev-${r.severity}">${r.severity}</span></td><td>${r.status}</td><td>${
        r.resources.length ? html`<code>${r.resources.join(', ')}</code>` : '0'
      }</td></tr>`,
  )}</tbody></table></div></section>`;
}

function metadataSection(result: ScanResult, options: WriteOptions): Raw {
  if (!options.details || !result.metadata) return html``;
  return html`<details class="card section" id="details"><summary>Details</summary><pre>${JSON.stringify(result.metadata, null, 2)}</pre></details>`;
}

/**
 * `--format html`: one self-contained page (inline CSS and JS, a Content-Security-Policy that allows
 * only those two blocks and loads nothing) with the target, counts by severity and by door, charts,
 * and one sortable, filterable table per finding kind whose rows expand to their evidence. The result
 * JSON (as `--format json` writes it) is embedded for download.
 */
export function writeHtml(result: ScanResult, options: WriteOptions = {}): string {
  const { css, js, themeJs, cssHash, jsHash, themeJsHash } = assets();
  const kinds = FINDING_KINDS.filter((k) => result.findings.some((f) => f.kind === k));
  let next = 0;
  const sections = kinds.map((k) => {
    const of = result.findings.filter((f) => f.kind === k);
    const s = findingSection(k, of, next);
    next += of.length;
    return s;
  });
  const { metadata: _metadata, ...contract } = result;
  const embedded = options.details ? result : contract;
  const csp = `default-src 'none'; style-src '${cssHash}'; script-src '${themeJsHash}' '${jsHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="strata ${result.tool.version}">
<title>Strata report: ${result.target.name}</title>
<script>${new Raw(themeJs)}</script>
<style>${new Raw(css)}</style>
</head>
<body>
<header class="top">
<div><h1>Strata report</h1><p class="muted">strata ${result.tool.version} · ${result.findings.length} ${
    result.findings.length === 1 ? 'finding' : 'findings'
  } in <span class="target-name">${result.target.name}</span></p></div>
<div class="actions">
<button type="button" id="theme-toggle" aria-pressed="false">Dark mode</button>
<button type="button" id="expand-all">Expand all</button>
<button type="button" id="download-json">Download JSON</button>
<button type="button" id="print">Print</button>
</div>
</header>
<main>
${errorsBanner(result)}
<div class="grid">${overview(result, options)}${counts(result.findings)}</div>
${complianceSection(options)}
${
  result.findings.length
    ? html`${filters(kinds, result.findings.length)}${sections}`
    : html`<section class="card" id="no-findings"><h2>No findings</h2><p>${
        result.errors.length
          ? 'Nothing was found in what could be scanned; the errors above say what could not.'
          : 'The scan found nothing to report.'
      }</p></section>`
}
${suppressedSection(result.suppressed ?? [])}
${layersSection(result)}
${packagesSection(result.packages, result.findings)}
${metadataSection(result, options)}
</main>
<footer class="muted">Generated by strata ${result.tool.version}. This file loads nothing from the network; the result JSON is embedded (Download JSON).</footer>
<script type="application/json" id="strata-result">${new Raw(embedJson(embedded))}</script>
<script>${new Raw(js)}</script>
</body>
</html>
`;
  return page.text;
}
