import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent, podObject } from '../../src/audit/testing/events.js';
import { strata } from '../support/cli.js';
import { strataHostile } from '../support/hostile.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const exec = auditEvent({
  verb: 'create',
  subresource: 'exec',
  name: 'web',
  code: 101,
  uri: '/api/v1/namespaces/default/pods/web/exec?command=sh',
});
const privileged = auditEvent({
  verb: 'create',
  name: 'root',
  code: 201,
  requestObject: podObject({
    containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }],
  }),
});
const quiet = auditEvent({ verb: 'list', resource: 'configmaps' });
const lines = [exec, quiet, privileged].map((e) => JSON.stringify(e)).join('\n');

describe('strata audit', () => {
  it('reads JSON lines and reports each alert as a kind: audit finding', async () => {
    const r = await strata(['audit', file('log.jsonl', `${lines}\n`), '-f', 'json', '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const findings = JSON.parse(r.stdout).findings as Array<Record<string, never>>;
    expect(findings.map((f) => [f.id, f.kind, f.severity])).toEqual([
      ['Strata Privileged Pod', 'audit', 'HIGH'],
      ['Strata Pod Exec or Attach', 'audit', 'MEDIUM'],
    ]);
    const ex = findings[1] as unknown as {
      evidence: Record<string, unknown>;
      location: Record<string, unknown>;
    };
    expect(ex.evidence).toMatchObject({
      priority: 'WARNING',
      auditID: exec.auditID,
      user: 'alice',
      verb: 'create',
      resource: 'pods/exec',
    });
    expect(ex.evidence.output).toBe('exec into pod default/web by alice (command=sh container=<NA>)');
    expect(ex.location).toMatchObject({ line: 1, resource: 'pods/default/web' });
  });

  it('reads an EventList document from stdin, with --rules and --exit-code', async () => {
    const rules = file(
      'r.yaml',
      '- rule: Lists\n  desc: d\n  condition: ka.verb=list\n  output: "%ka.user.name listed %ka.target.resource"\n  priority: INFO\n  source: k8s_audit\n',
    );
    const list = JSON.stringify(
      { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [exec, quiet] },
      null,
      2,
    );
    const r = await strata(['audit', '-', '--rules', rules, '-f', 'sarif', '-q', '--exit-code', '5'], {
      input: list,
    });
    expect(r.code).toBe(5);
    const run = JSON.parse(r.stdout).runs[0];
    expect(run.results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['Lists']);
  });

  it('--severity filters on the mapped priority', async () => {
    const r = await strata(['audit', file('log2.jsonl', lines), '-f', 'json', '-q', '--severity', 'MEDIUM']);
    expect(JSON.parse(r.stdout).findings.map((f: { id: string }) => f.id)).toEqual([
      'Strata Pod Exec or Attach',
    ]);
  });

  it('a line that is not an audit event is one input error naming file and line (exit 2)', async () => {
    const p = file('bad.jsonl', `${JSON.stringify(quiet)}\n{"kind":"Pod","apiVersion":"v1"}\n`);
    const r = await strata(['audit', p, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^strata: ${p}:2: not an audit\\.k8s\\.io/v1 Event: kind`)),
    ]);
  });

  it('a bad rules file is one error naming file, line and rule (exit 2)', async () => {
    const rules = file(
      'bad.yaml',
      '- rule: R\n  desc: d\n  condition: ka.verb = \n  output: o\n  priority: INFO\n  source: k8s_audit\n',
    );
    const r = await strata(['audit', file('ok.jsonl', lines), '--rules', rules, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^strata: ${rules}:1: rule "R": expected a value after "=" at offset \\d+\\n$`),
    );
  });

  it('--format outside table|json|sarif is a usage error', async () => {
    const r = await strata(['audit', file('ok2.jsonl', lines), '-f', 'cyclonedx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format: "cyclonedx" is not one of table, json, sarif/);
  });
});

describe('strata audit on hostile input ends cleanly', () => {
  it('a deeply nested event and a 70 MiB line', async () => {
    const body = JSON.stringify(quiet).slice(0, -1);
    const nested = file(
      'deep.jsonl',
      `${body},"requestObject":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}\n`,
    );
    const r1 = await strataHostile(['audit', nested, '-q', '-f', 'json']);
    expect(r1.timedOut).toBe(false);
    expect([0, 2]).toContain(r1.code);
    expect(r1.stderr).not.toMatch(/internal error|at .*\.js/);
    const huge = file('huge.jsonl', `{"kind":"Event","x":"${'a'.repeat(70 * 1024 * 1024)}"}\n`);
    const r2 = await strataHostile(['audit', huge, '-q']);
    expect(r2.timedOut).toBe(false);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/:1: line longer than 64 MiB/);
  });
});
