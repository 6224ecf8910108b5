import cytoscape, { type Core } from 'cytoscape';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useCurrentTheme } from '../theme';
import { themeColors } from './Chart';

export interface Matrix {
  granularity: string;
  nodes: string[];
  edges: { from: string; to: string; ports: string }[];
  classes?: number;
}

export const INTERNET = 'internet';

/**
 * Cytoscape adds an inline <style> (one rule: its container is position: relative) unless an element
 * with this id exists. The server's Content-Security-Policy forbids inline styles, so a marker stands
 * in for it and styles.css carries the rule (.graph).
 */
const CYTOSCAPE_STYLESHEET = '__________cytoscape_stylesheet';
function markCytoscapeStylesheet(): void {
  if (document.getElementById(CYTOSCAPE_STYLESHEET)) return;
  const marker = document.createElement('meta');
  marker.id = CYTOSCAPE_STYLESHEET;
  document.head.append(marker);
}

/** Everything reachable from `start` over allowed flows (the blast radius), `start` excluded. */
export function reachable(m: Matrix, start: string): string[] {
  const next = new Map<string, string[]>();
  for (const e of m.edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    const n = queue.shift() as string;
    for (const t of next.get(n) ?? [])
      if (!seen.has(t)) {
        seen.add(t);
        queue.push(t);
      }
  }
  seen.delete(start);
  return [...seen].sort();
}

/**
 * Workloads as nodes, allowed flows as edges (Cytoscape.js); the internet is a distinct node whose
 * out-edges are the entry points. Clicking a node — or choosing it in the list, for keyboard users —
 * highlights what it reaches and dims the rest.
 */
export function NetworkGraph({ matrix }: { matrix: Matrix }) {
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core>(undefined);
  const [selected, setSelected] = useState<string>('');
  const theme = useCurrentTheme();
  const radius = useMemo(() => (selected ? reachable(matrix, selected) : []), [matrix, selected]);
  const entries = useMemo(
    () => [...new Set(matrix.edges.filter((e) => e.from === INTERNET).map((e) => e.to))].sort(),
    [matrix],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: redrawn in the colours of a new theme
  useEffect(() => {
    if (!box.current) return undefined;
    const c = themeColors();
    markCytoscapeStylesheet();
    const instance = cytoscape({
      container: box.current,
      elements: [
        ...matrix.nodes.map((n) => ({
          data: { id: n, label: n },
          classes: n === INTERNET ? 'internet' : entries.includes(n) ? 'entry' : '',
        })),
        ...matrix.edges.map((e, i) => ({
          data: { id: `e${i}`, source: e.from, target: e.to, label: e.ports },
        })),
      ],
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            color: c.text,
            'font-size': 11,
            'text-valign': 'bottom',
            'text-margin-y': 4,
            'background-color': c.muted,
            width: 22,
            height: 22,
          },
        },
        {
          selector: 'node.internet',
          style: { shape: 'diamond', 'background-color': c.CRITICAL, width: 32, height: 32 },
        },
        { selector: 'node.entry', style: { 'border-width': 3, 'border-color': c.HIGH } },
        {
          selector: 'edge',
          style: {
            width: 1.5,
            'line-color': c.grid,
            'target-arrow-color': c.grid,
            'target-arrow-shape': 'triangle',
            'curve-style': 'bezier',
          },
        },
        { selector: '.dim', style: { opacity: 0.15 } },
        {
          selector: 'node.origin',
          style: { 'background-color': c.CRITICAL, 'border-width': 3, 'border-color': c.text },
        },
        { selector: 'node.hit', style: { 'background-color': c.HIGH } },
        { selector: 'edge.hit', style: { 'line-color': c.HIGH, 'target-arrow-color': c.HIGH, width: 2.5 } },
      ],
      layout: {
        name: 'breadthfirst',
        directed: true,
        spacingFactor: 1.1,
        roots: matrix.nodes.includes(INTERNET) ? [INTERNET] : undefined,
      },
      wheelSensitivity: 0.3,
    } as cytoscape.CytoscapeOptions);
    instance.on('tap', 'node', (e) => setSelected(e.target.id() as string));
    // where each node is drawn, relative to the box (lets tests and tools click a node like a person)
    const publish = () => {
      const at: Record<string, [number, number]> = {};
      instance.nodes().forEach((n) => {
        const p = n.renderedPosition();
        at[n.id()] = [Math.round(p.x), Math.round(p.y)];
      });
      if (box.current) box.current.dataset.nodes = JSON.stringify(at);
    };
    instance.on('layoutstop viewport resize', publish);
    publish();
    instance.on('tap', (e) => {
      if (e.target === instance) setSelected('');
    });
    cy.current = instance;
    return () => {
      instance.destroy();
      cy.current = undefined;
    };
  }, [matrix, entries, theme]);

  useEffect(() => {
    const c = cy.current;
    if (!c) return;
    c.elements().removeClass('dim hit origin');
    if (!selected) return;
    const origin = c.getElementById(selected);
    if (origin.empty()) return;
    const reach = origin.successors();
    c.elements().not(reach).not(origin).addClass('dim');
    reach.addClass('hit');
    origin.addClass('origin');
  }, [selected]);

  return (
    <div className="graph-panel">
      <div
        ref={box}
        className="graph"
        role="img"
        aria-label={`Allowed connections: ${matrix.nodes.length} nodes, ${matrix.edges.length} edges`}
        data-testid="network-graph"
      />
      <div className="graph-side">
        <label htmlFor="blast-origin">Blast radius of</label>
        <select id="blast-origin" value={selected} onChange={(e) => setSelected(e.target.value)}>
          <option value="">(choose a workload, or click one in the graph)</option>
          {matrix.nodes.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        {selected ? (
          <div aria-live="polite">
            <p>
              <strong>{selected}</strong> reaches {radius.length} of {matrix.nodes.length - 1}:
            </p>
            <ul className="radius" data-testid="blast-radius">
              {radius.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <h4>Internet entry points</h4>
        {entries.length ? (
          <ul data-testid="entry-points">
            {entries.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">None: nothing admits traffic from outside the cluster.</p>
        )}
      </div>
    </div>
  );
}
