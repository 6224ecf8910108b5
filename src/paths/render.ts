/**
 * `--format dot|mermaid`: the attack paths as one graph, nodes shared between paths, each edge
 * labelled with the path ranks that use it. Labels are quoted and escaped: refs come from input.
 */
import type { AttackPathFinding } from '../core/index.js';

interface Graph {
  readonly nodes: Map<string, { id: string; label: string; kind: string }>;
  readonly edges: Map<string, { from: string; to: string; ranks: number[] }>;
}

function graphOf(paths: readonly AttackPathFinding[]): Graph {
  const nodes: Graph['nodes'] = new Map();
  const edges: Graph['edges'] = new Map();
  const node = (kind: string, label: string) => {
    const key = `${kind}|${label}`;
    let n = nodes.get(key);
    if (!n) {
      n = { id: `n${nodes.size}`, label, kind };
      nodes.set(key, n);
    }
    return n.id;
  };
  for (const p of paths) {
    const rank = p.evidence.rank ?? 0;
    const ids = p.evidence.hops.map((h) => node(h.kind, h.ref));
    ids.push(node('goal', p.evidence.goal ?? 'goal'));
    for (let i = 1; i < ids.length; i++) {
      const key = `${ids[i - 1]}>${ids[i]}`;
      const e = edges.get(key) ?? { from: ids[i - 1]!, to: ids[i]!, ranks: [] };
      if (!e.ranks.includes(rank)) e.ranks.push(rank);
      edges.set(key, e);
    }
  }
  return { nodes, edges };
}

const SHAPES: Record<string, string> = {
  internet: 'doubleoctagon',
  service: 'box',
  workload: 'component',
  vulnerability: 'diamond',
  privilege: 'hexagon',
  serviceaccount: 'note',
  permission: 'cds',
  goal: 'doublecircle',
};

const dotText = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;
const ranksText = (r: readonly number[]) =>
  `#${r.slice(0, 8).join(',#')}${r.length > 8 ? ` +${r.length - 8}` : ''}`;

export function renderDot(paths: readonly AttackPathFinding[]): string {
  const g = graphOf(paths);
  const lines = ['digraph attack_paths {', '  rankdir=LR;', '  node [fontsize=10];'];
  for (const n of g.nodes.values())
    lines.push(
      `  ${n.id} [label=${dotText(`${n.kind}\n${n.label}`)}, shape=${SHAPES[n.kind] ?? 'ellipse'}];`,
    );
  for (const e of g.edges.values())
    lines.push(`  ${e.from} -> ${e.to} [label=${dotText(ranksText(e.ranks))}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Mermaid labels: quotes become #quot; and the characters Mermaid parses are entity-escaped. */
const mermaidText = (s: string) =>
  `"${s
    .replace(/\\/g, '#92;')
    .replace(/"/g, '#quot;')
    .replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'))
    .replace(/\n/g, ' ')}"`;

export function renderMermaid(paths: readonly AttackPathFinding[]): string {
  const g = graphOf(paths);
  const lines = ['flowchart LR'];
  for (const n of g.nodes.values()) lines.push(`  ${n.id}[${mermaidText(`${n.kind}: ${n.label}`)}]`);
  for (const e of g.edges.values()) lines.push(`  ${e.from} -->|${mermaidText(ranksText(e.ranks))}| ${e.to}`);
  return `${lines.join('\n')}\n`;
}
