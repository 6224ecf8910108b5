import { describe, expect, it } from 'vitest';
import { AuditError } from '../errors.js';
import type { Json } from '../fields.js';
import { loadRuleTexts } from '../index.js';
import { auditEvent, podObject } from '../testing/events.js';

/** A one-rule file with the given condition (plus extra items before it). */
function ruleSet(condition: string, before = '') {
  const text = `${before}
- rule: R
  desc: d
  condition: ${JSON.stringify(condition)}
  output: "out %ka.verb"
  priority: NOTICE
  source: k8s_audit
`;
  return loadRuleTexts([{ name: 'r.yaml', text }]);
}
const matches = (condition: string, event: Json, before = '') =>
  ruleSet(condition, before).evaluate(event).length === 1;

const event = auditEvent({
  verb: 'create',
  resource: 'pods',
  name: 'web-1',
  namespace: 'prod',
  uri: '/api/v1/namespaces/prod/pods?dryRun=All',
  requestObject: podObject({
    containers: [
      { name: 'a', image: 'nginx:1.27', securityContext: { privileged: true } },
      { name: 'b', image: 'registry.io:5000/team/app@sha256:abc' },
    ],
    volumes: [{ name: 'v', hostPath: { path: '/var/run/docker.sock' } }],
  }),
});

describe('condition grammar', () => {
  it.each([
    ['ka.verb = create', true],
    ['ka.verb == create', true],
    ['ka.verb != create', false],
    ['ka.verb != delete', true],
    ['ka.response.code < 300', true],
    ['ka.response.code <= 200', true],
    ['ka.response.code > 200', false],
    ['ka.response.code >= 200', true],
    ['ka.response.code = 200.0', true],
    ['ka.target.name contains "b-"', true],
    ['ka.target.name icontains "WEB"', true],
    ['ka.target.name contains "WEB"', false],
    ['ka.target.name bcontains 622d31', true],
    ['ka.target.name bstartswith 776562', true],
    ['ka.target.name startswith web', true],
    ['ka.target.name endswith "-1"', true],
    ['ka.target.name glob "w?b-*"', true],
    ['ka.target.name glob "x*"', false],
    ['ka.target.name iglob "WEB-[0-9]"', true],
    ['ka.verb in (get, create)', true],
    ["ka.verb in ('get', 'list')", false],
    ['ka.verb intersects (create)', true],
    ['ka.req.pod.volumes.hostpath pmatch (/var/run)', true],
    ['ka.req.pod.volumes.hostpath pmatch (/var/r)', false],
    ['ka.target.name exists', true],
    ['ka.target.subresource exists', false],
    ['not ka.target.subresource exists', true],
    ['ka.verb = create and not (ka.verb = get or ka.target.namespace = dev)', true],
    ['ka.verb = get or ka.target.namespace = prod and ka.target.name = web-1', true],
    ['(ka.verb = get or ka.target.namespace = prod) and ka.target.name = nope', false],
    ['not not ka.verb = create', true],
  ])('%s → %s', (condition, expected) => {
    expect(matches(condition, event)).toBe(expected);
  });

  describe('list fields', () => {
    it.each([
      ['ka.req.pod.containers.privileged intersects (true)', true],
      ['ka.req.pod.containers.privileged in (true)', false],
      ['ka.req.pod.containers.privileged in (true, false)', true],
      ['ka.req.pod.containers.image.repository in (nginx, registry.io:5000/team/app)', true],
      ['ka.req.pod.containers.image[0] = "nginx:1.27"', true],
      ['ka.req.pod.containers.image[1] startswith registry.io', true],
      ['ka.req.pod.containers.image[2] exists', false],
      ['ka.req.pod.containers.image contains app@', true],
      ['ka.req.container.image = "nginx:1.27"', true],
      ['ka.req.pod.initContainers.image exists', false],
    ])('%s → %s', (condition, expected) => {
      expect(matches(condition, event)).toBe(expected);
    });
  });

  describe('arguments', () => {
    it.each([
      ['ka.uri.param[dryRun] = All', true],
      ['ka.uri.param[other] exists', false],
      ['jevt.value[/objectRef/namespace] = prod', true],
      ['jevt.value[/requestObject/spec/containers/1/image] endswith abc', true],
      ['jevt.value[/nope] exists', false],
      ['ka.req.volume.hostpath[/var/run] = true', true],
    ])('%s → %s', (condition, expected) => {
      expect(matches(condition, event)).toBe(expected);
    });
  });

  describe('<NA>: a missing value', () => {
    const bare = auditEvent({ verb: 'get', resource: 'namespaces', namespace: '' });
    it.each([
      'ka.target.namespace = ""',
      'ka.target.namespace != prod',
      'ka.target.namespace in (prod)',
      'ka.req.pod.containers.image intersects (nginx)',
      'ka.target.namespace startswith p',
    ])('%s is false', (condition) => {
      expect(matches(condition, bare)).toBe(false);
    });
    it('renders as <NA> in output', () => {
      const rs = loadRuleTexts([
        {
          name: 'r.yaml',
          text: '- rule: R\n  desc: d\n  condition: ka.verb=get\n  output: ns=%ka.target.namespace v=%ka.verb.\n  priority: INFO\n  source: k8s_audit\n',
        },
      ]);
      expect(rs.evaluate(bare)[0]?.output).toBe('ns=<NA> v=get.');
    });
  });

  describe('macros and lists', () => {
    const defs = `
- list: inner
  items: [create]
- list: verbs
  items: [inner, patch]
- macro: m1
  condition: ka.verb in (verbs)
- macro: m2
  condition: (m1 and ka.target.resource = pods)
`;
    it('expand lists inside lists and macros inside macros', () => {
      expect(matches('m2', event, defs)).toBe(true);
      expect(matches('not m2', event, defs)).toBe(false);
    });
    it('refuse an undefined macro, naming file, line and rule', () => {
      expect(() => ruleSet('nope and ka.verb=get')).toThrow(
        /^r\.yaml:2: rule "R": undefined macro or unknown field "nope"/,
      );
    });
    it('refuse a macro that refers to itself', () => {
      expect(() => ruleSet('loop', '- macro: loop\n  condition: (not loop)\n')).toThrow(/refers to itself/);
    });
  });

  describe('parse errors name file, line and rule', () => {
    it.each([
      ['ka.verb =', /expected a value/],
      ['(ka.verb = get', /expected "\)"/],
      ['ka.verb get', /expected an operator/],
      ['ka.nope = 1', /unknown field "ka.nope"/],
      ['proc.name = sh', /unknown field "proc.name"/],
      ['ka.uri.param = x', /needs an argument/],
      ['ka.verb = "open', /unterminated string/],
      ['ka.verb = get and', /expected a field or macro/],
      ['ka.target.name bcontains xyz', /not a hex byte string/],
    ])('%s', (condition, message) => {
      const err = (() => {
        try {
          ruleSet(condition);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(AuditError);
      expect((err as AuditError).code).toBe('INVALID_CONDITION');
      expect((err as Error).message).toMatch(/^r\.yaml:2: rule "R": /);
      expect((err as Error).message).toMatch(message);
    });
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const deep = `${'('.repeat(5000)}ka.verb=get${')'.repeat(5000)}`;
    expect(() => ruleSet(deep)).toThrow(/nested deeper than/);
    const nots = `${'not '.repeat(5000)}ka.verb=get`;
    expect(() => ruleSet(nots)).toThrow(/nested deeper than/);
    expect(matches(`${'('.repeat(100)}ka.verb=create${')'.repeat(100)}`, event)).toBe(true);
  });
});

describe('jevt time fields', () => {
  it('jevt.rawtime is the stage timestamp in nanoseconds', () => {
    const e = auditEvent();
    const rs = loadRuleTexts([
      {
        name: 'r.yaml',
        text: '- rule: R\n  desc: d\n  condition: jevt.rawtime exists\n  output: "%jevt.rawtime %jevt.time"\n  priority: INFO\n  source: k8s_audit\n',
      },
    ]);
    expect(rs.evaluate(e)[0]?.output).toBe('1796346000012345000 2026-12-04T01:00:00.012345Z');
    expect(rs.evaluate({ ...e, stageTimestamp: 'yesterday', requestReceivedTimestamp: undefined })).toEqual(
      [],
    );
  });
});
