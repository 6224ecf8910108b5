import { SEVERITIES, type Severity } from '../../core/index.js';
import { html, type Raw } from './markup.js';

/** One bar of a chart: its label and its count per severity (stacked in severity order). */
export interface Bar {
  readonly label: string;
  readonly counts: Readonly<Record<Severity, number>>;
}

const ROW = 30;
const BAR = 18;

/**
 * A horizontal bar chart as inline SVG (no library, no script): one row per bar, each stacked by
 * severity and coloured by the theme's severity tokens, its total written at the end. The numbers are
 * also in the <desc>, for screen readers.
 */
export function barChart(id: string, title: string, bars: readonly Bar[], labelWidth: number): Raw {
  const width = 440;
  const area = width - labelWidth - 44;
  const totals = bars.map((b) => SEVERITIES.reduce((n, s) => n + b.counts[s], 0));
  const max = Math.max(1, ...totals);
  const height = bars.length * ROW + 6;
  const desc = bars
    .map(
      (b, i) =>
        `${b.label}: ${totals[i]}${
          totals[i]
            ? ` (${SEVERITIES.filter((s) => b.counts[s])
                .map((s) => `${s} ${b.counts[s]}`)
                .join(', ')})`
            : ''
        }`,
    )
    .join('; ');
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-t ${id}-d" data-chart="${id}">
<title id="${id}-t">${title}</title><desc id="${id}-d">${desc}</desc>
${bars.map((b, i) => {
  const y = i * ROW + 4;
  let x = labelWidth;
  const segments = SEVERITIES.filter((s) => b.counts[s] > 0).map((s) => {
    const w = Math.max(2, (b.counts[s] / max) * area);
    const seg = html`<rect class="fill-${s}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" rx="2"><title>${b.label}: ${s} ${b.counts[s]}</title></rect>`;
    x += w;
    return seg;
  });
  return html`<g><text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end">${b.label}</text><rect class="track" x="${labelWidth}" y="${y}" width="${area}" height="${BAR}" rx="2"></rect>${segments}<text x="${x + 6}" y="${y + 13}">${totals[i] ?? 0}</text></g>
`;
})}</svg>`;
}

export function legend(): Raw {
  return html`<div class="legend" aria-hidden="true">${SEVERITIES.map((s) => html`<span class="sev-${s}">${s}</span>`)}</div>`;
}
