import type { Matrix } from '../kube/index.js';
import type { MatrixFormat } from './light.js';
import { renderTable } from './table.js';

export { MATRIX_FORMATS, type MatrixFormat } from './light.js';

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function dot(m: Matrix): string {
  const lines = ['digraph netpol {', '  rankdir=LR;'];
  for (const n of m.nodes) lines.push(`  ${quote(n)}${n === 'internet' ? ' [shape=doublecircle]' : ''};`);
  for (const e of m.edges) lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(e.ports)}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function mermaid(m: Matrix): string {
  const ids = new Map(m.nodes.map((n, i) => [n, `n${i}`]));
  const label = (s: string) => s.replace(/["|]/g, "'");
  const lines = ['flowchart LR'];
  for (const n of m.nodes) lines.push(`  ${ids.get(n)}["${label(n)}"]`);
  for (const e of m.edges) lines.push(`  ${ids.get(e.from)} -->|"${label(e.ports)}"| ${ids.get(e.to)}`);
  return `${lines.join('\n')}\n`;
}

function table(m: Matrix): string {
  const head = `${m.nodes.length - 1} ${m.granularity === 'workload' ? 'workloads/pods' : 'namespaces'}, ${m.classes} pod classes, ${m.edges.length} allowed connections`;
  return `${head}\n\n${renderTable(
    ['FROM', 'TO', 'PORTS'],
    m.edges.map((e) => [e.from, e.to, e.ports]),
  )}\n`;
}

/** The allowed-connection matrix of `strata netpol matrix` in one of its formats. */
export function renderMatrix(m: Matrix, format: MatrixFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(m, null, 2)}\n`;
    case 'dot':
      return dot(m);
    case 'mermaid':
      return mermaid(m);
    case 'table':
      return table(m);
  }
}
