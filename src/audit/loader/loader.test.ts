import { describe, expect, it } from 'vitest';
import { AuditError } from '../errors.js';
import { loadRuleTexts } from '../index.js';
import { auditEvent } from '../testing/events.js';

const load = (...texts: string[]) => loadRuleTexts(texts.map((text, i) => ({ name: `f${i}.yaml`, text })));
const fired = (rs: ReturnType<typeof load>, e = auditEvent()) => rs.evaluate(e).map((a) => a.rule);
const errorOf = (fn: () => unknown): AuditError => {
  try {
    fn();
  } catch (e) {
    return e as AuditError;
  }
  throw new Error('no error');
};

const BASE = `
- required_engine_version: 15
- required_plugin_versions:
    - name: k8saudit
      version: 0.18.0
- list: users
  items: [alice]
- macro: by_user
  condition: ka.user.name in (users)
- rule: R
  desc: reads
  condition: by_user and ka.verb = get
  output: "%ka.user.name read %ka.target.resource"
  priority: WARNING
  source: k8s_audit
  tags: [k8s]
`;

describe('rules file loader', () => {
  it('loads lists, macros and rules', () => {
    expect(fired(load(BASE))).toEqual(['R']);
    expect(fired(load(BASE), auditEvent({ user: 'bob' }))).toEqual([]);
  });

  describe('exceptions', () => {
    const withExceptions = `${BASE.replace('  tags: [k8s]\n', '')}  exceptions:
    - name: ns_and_name
      fields: [ka.target.namespace, ka.target.name]
      values: [[kube-system, cfg]]
    - name: by_ns
      fields: ka.target.namespace
      values: [quiet, calm]
    - name: prefixed
      fields: [ka.target.name]
      comps: [startswith]
      values: [[tmp-]]
    - name: listed
      fields: [ka.target.name]
      comps: [in]
      values: [[[a, b]]]
`;
    it.each([
      [{ namespace: 'kube-system', name: 'cfg' }, false],
      [{ namespace: 'kube-system', name: 'other' }, true],
      [{ namespace: 'calm', name: 'x' }, false],
      [{ namespace: 'prod', name: 'tmp-1' }, false],
      [{ namespace: 'prod', name: 'b' }, false],
      [{ namespace: 'prod', name: 'c' }, true],
    ])('%o fires: %s', (parts, expected) => {
      expect(fired(load(withExceptions), auditEvent(parts)).length === 1).toBe(expected);
    });
    it('an appended exception adds values to the one of the same name', () => {
      const more = '- rule: R\n  exceptions:\n    - name: by_ns\n      values: [prod]\n  append: true\n';
      expect(fired(load(withExceptions, more), auditEvent({ namespace: 'prod', name: 'c' }))).toEqual([]);
    });
    it('a tuple of the wrong size is a load error naming the file and line', () => {
      const bad = BASE.replace(
        '  tags: [k8s]\n',
        '  exceptions:\n    - name: e\n      fields: [ka.verb, ka.uri]\n      values: [[get]]\n',
      );
      expect(errorOf(() => load(bad)).message).toMatch(
        /^f0\.yaml:10: rule "R": .*exception "e": each value must be a list of 2/,
      );
    });
  });

  describe('append and override', () => {
    it('append: true adds to a list, a macro condition and a rule condition', () => {
      const more = `
- list: users
  items: [bob]
  append: true
- rule: R
  condition: and ka.target.resource = pods
  append: true
`;
      const rs = load(BASE, more);
      expect(fired(rs, auditEvent({ user: 'bob' }))).toEqual(['R']);
      expect(fired(rs, auditEvent({ user: 'bob', resource: 'secrets' }))).toEqual([]);
    });
    it('override replaces or appends per key', () => {
      const more = `
- macro: by_user
  condition: ka.user.name = carol
  override: { condition: replace }
- rule: R
  priority: CRITICAL
  output: "(extra)"
  override: { priority: replace, output: append }
`;
      const alerts = load(BASE, more).evaluate(auditEvent({ user: 'carol' }));
      expect(alerts.map((a) => [a.rule, a.priority, a.output])).toEqual([
        ['R', 'CRITICAL', 'carol read pods (extra)'],
      ]);
    });
    it('override of a list replaces its items', () => {
      const more = '- list: users\n  items: [dave]\n  override: { items: replace }\n';
      expect(fired(load(BASE, more))).toEqual([]);
      expect(fired(load(BASE, more), auditEvent({ user: 'dave' }))).toEqual(['R']);
    });
    it('enabled: false (short form and override) switches a rule off', () => {
      expect(fired(load(BASE, '- rule: R\n  enabled: false\n'))).toEqual([]);
      expect(fired(load(BASE, '- rule: R\n  enabled: false\n  override: { enabled: replace }\n'))).toEqual(
        [],
      );
    });
    it('appending to an undefined rule is an error naming the item', () => {
      expect(errorOf(() => load('- rule: Nope\n  condition: x\n  append: true\n')).message).toBe(
        'f0.yaml:1: rule "Nope": appends to a rule that is not defined before',
      );
    });
    it('override of a key that cannot be appended is an error', () => {
      expect(
        errorOf(() => load(BASE, '- rule: R\n  priority: INFO\n  override: { priority: append }\n')).message,
      ).toMatch(/^f1\.yaml:1: rule "R": override: only/);
    });
  });

  describe('sources', () => {
    it('syscall rules, and the macros and lists only they use, load and are ignored', () => {
      const mixed = `${BASE}
- macro: spawned_process
  condition: (evt.type in (execve, execveat) and evt.dir=<)
- rule: Shell in container
  desc: syscall
  condition: spawned_process and proc.name = bash
  output: "shell %proc.name"
  priority: WARNING
`;
      const rs = load(mixed);
      expect(rs.rules.map((r) => r.def.name)).toEqual(['R']);
      expect(rs.ignored).toEqual(['Shell in container']);
    });
  });

  describe('load errors name file, line and item', () => {
    it.each([
      [
        '- rule: R\n  condition: ka.verb=get\n  output: o\n  priority: LOUD\n  source: k8s_audit\n',
        /^f0\.yaml:1: rule "R": priority "LOUD" is not one of/,
      ],
      [
        '- rule: R\n  condition: ka.verb=get\n  output: "%ka.nope"\n  priority: INFO\n  source: k8s_audit\n',
        /^f0\.yaml:1: rule "R": output: unknown field "%ka.nope"/,
      ],
      ['- rule: R\n  condition: ka.verb=get\n  priority: INFO\n', /^f0\.yaml:1: rule "R": has no output/],
      ['\n\n- required_engine_version: 99\n', /^f0\.yaml:3: item: requires engine version 99/],
      ['- listt: x\n', /^f0\.yaml:1: item: unknown item \(keys: listt\)/],
      ['- list: x\n  items: [a\n', /^f0\.yaml:3: Flow sequence/],
      ['rule: R\n', /^f0\.yaml:1: a rules file is a YAML list/],
      ['- macro: m\n  condition: [1]\n', /^f0\.yaml:1: macro "m": condition: expected string/],
    ])('%j', (text, message) => {
      const err = errorOf(() => load(text));
      expect(err).toBeInstanceOf(AuditError);
      expect(err.message).toMatch(message);
    });
  });
});
