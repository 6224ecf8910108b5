import { describe, expect, it } from 'vitest';
import { buildResult, misconfigurationFinding } from '../core/index.js';
import { streamJson, writeJson } from './json.js';

const finding = (i: number) =>
  misconfigurationFinding({
    id: `STRATA-K8S-${i % 7}`,
    severity: i % 2 ? 'LOW' : 'HIGH',
    title: 'a "quoted"\ntitle',
    description: `line one\nline two ${'x'.repeat(i % 50)}`,
    location: { path: 'a.yaml', line: i, resource: `Pod/ns/p-${i}` },
    evidence: { fields: [], nested: { empty: {}, list: [1, [2, {}]] }, skipped: undefined } as never,
    references: ['https://example.com'],
  });

describe('JSON report', () => {
  it('streams the same bytes JSON.stringify writes, in pieces, without metadata', () => {
    const result = buildResult({
      target: { type: 'kubernetes', name: 'a.yaml' },
      findings: Array.from({ length: 3000 }, (_, i) => finding(i)),
      errors: [{ analyzer: 'kube/load', path: 'a.yaml', message: 'line 1: "bad"' }],
      metadata: { internal: true },
    });
    const chunks: string[] = [];
    streamJson(result, (c) => chunks.push(c));
    const { metadata: _m, ...contract } = result;
    const expected = `${JSON.stringify(contract, null, 2)}\n`;
    expect(chunks.join('')).toBe(expected);
    expect(chunks.length).toBeGreaterThan(1);
    expect(writeJson(result)).toBe(expected);
  });

  it('writes empty arrays and an empty result as JSON.stringify does', () => {
    const result = buildResult({ target: { type: 'filesystem', name: '.' } });
    const { metadata: _m, ...contract } = result;
    expect(writeJson(result)).toBe(`${JSON.stringify(contract, null, 2)}\n`);
  });
});
