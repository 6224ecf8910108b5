import { describe, expect, it } from 'vitest';
import { loadRuleTexts } from '../index.js';

const prefilterOf = (condition: string, before = '') => {
  const text = `${before}\n- rule: R\n  desc: d\n  condition: ${JSON.stringify(condition)}\n  output: o\n  priority: INFO\n  source: k8s_audit\n`;
  const [rule] = loadRuleTexts([{ name: 'r.yaml', text }]).rules;
  const set = (s?: ReadonlySet<string>) => (s ? [...s].sort() : '*');
  return { verbs: set(rule?.prefilter.verbs), resources: set(rule?.prefilter.resources) };
};

describe('verb/resource prefilter', () => {
  it.each([
    ['ka.verb = get and ka.target.resource = pods', ['get'], ['pods']],
    [
      'ka.verb in (get, list) and ka.target.resource in (pods, secrets)',
      ['get', 'list'],
      ['pods', 'secrets'],
    ],
    ['ka.verb = get or ka.verb = list', ['get', 'list'], '*'],
    ['ka.verb = get or ka.target.resource = pods', '*', '*'],
    ['not ka.verb = get', '*', '*'],
    ['ka.verb != get', '*', '*'],
    ['ka.verb in (get, list) and ka.verb = list', ['list'], '*'],
    ['m and ka.target.resource = pods', ['create'], ['pods']],
    ['ka.verb in (vs)', ['patch', 'update'], '*'],
  ])('%s → verbs %j, resources %j', (condition, verbs, resources) => {
    const before = '- macro: m\n  condition: ka.verb = create\n- list: vs\n  items: [update, patch]\n';
    expect(prefilterOf(condition, before)).toEqual({ verbs, resources });
  });

  it('a rule is evaluated only for the verbs and resources it can match', () => {
    const rs = loadRuleTexts([
      {
        name: 'r.yaml',
        text: '- rule: R\n  desc: d\n  condition: ka.verb = get and ka.target.resource = pods\n  output: o\n  priority: INFO\n  source: k8s_audit\n',
      },
    ]);
    expect(rs.candidates('get', 'pods')).toHaveLength(1);
    expect(rs.candidates('create', 'pods')).toHaveLength(0);
    expect(rs.candidates('get', 'secrets')).toHaveLength(0);
  });
});
