import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AttackPathFinding, attackPathFinding, StrataError } from '../core/index.js';
import { readImageResults, renderDot, renderMermaid } from './index.js';

const path = (rank: number, refs: string[]): AttackPathFinding =>
  attackPathFinding({
    id: `STRATA-PATH-000${rank}`,
    severity: 'HIGH',
    title: 't',
    location: {},
    evidence: {
      hops: refs.map((ref, i) => ({ kind: i === 0 ? 'internet' : 'workload', ref, why: 'w' })),
      goal: 'node',
      rank,
    },
  });

describe('graphs of attack paths', () => {
  const paths = [path(1, ['internet', 'Deployment/a/web']), path(2, ['internet', 'Deployment/a/"x"<y>\\'])];

  it('dot: shared nodes, edges labelled with the ranks, labels escaped', () => {
    const dot = renderDot(paths);
    // one internet node and one goal node for both paths
    expect(dot.split('\n').filter((l) => l.includes('shape=doubleoctagon'))).toHaveLength(1);
    expect(dot.split('\n').filter((l) => l.includes('shape=doublecircle'))).toHaveLength(1);
    expect(dot).toContain('n0 -> n1 [label="#1"]');
    expect(dot).toContain('n3 -> n2 [label="#2"]');
    // quotes and backslashes escaped: the label stays one string
    expect(dot).toContain('Deployment/a/\\"x\\"<y>\\\\"');
    expect(dot.trim().endsWith('}')).toBe(true);
  });

  it('mermaid: quotes and angle brackets are entities', () => {
    const m = renderMermaid(paths);
    expect(m).toContain('#quot;x#quot;#lt;y#gt;');
    expect(m).not.toMatch(/"x"/);
    expect(m).toContain('n0 -->|"#2"| n3');
    expect(m).not.toContain('\\');
  });
});

describe('--results files', () => {
  it('takes one result or an array; refuses other documents with one line naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-results-'));
    try {
      const result = {
        schemaVersion: 1,
        target: { type: 'container_image', name: 'nginx:1.25', digest: `sha256:${'a'.repeat(64)}` },
        findings: [],
      };
      writeFileSync(join(dir, 'one.json'), JSON.stringify(result));
      writeFileSync(
        join(dir, 'many.json'),
        JSON.stringify([result, { ...result, target: { ...result.target, name: 'redis' } }]),
      );
      writeFileSync(
        join(dir, 'fs.json'),
        JSON.stringify({ ...result, target: { type: 'filesystem', name: '.' } }),
      );
      writeFileSync(join(dir, 'bad.json'), '{"schemaVersion":');
      writeFileSync(join(dir, 'other.json'), '{"hello":1}');
      expect(readImageResults([join(dir, 'one.json')]).map((r) => r.ref)).toEqual([
        'docker.io/library/nginx:1.25',
      ]);
      expect(readImageResults([join(dir, 'many.json')]).map((r) => r.name)).toEqual(['nginx:1.25', 'redis']);
      for (const [file, text] of [
        ['fs.json', 'target.type is "filesystem", expected container_image'],
        ['bad.json', 'not JSON'],
        ['other.json', 'not a Strata JSON result'],
        ['missing.json', 'no such file'],
      ] as const) {
        let err: unknown;
        try {
          readImageResults([join(dir, file)]);
        } catch (e) {
          err = e;
        }
        expect(err, file).toBeInstanceOf(StrataError);
        expect((err as Error).message).toContain(file);
        expect((err as Error).message).toContain(text);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
