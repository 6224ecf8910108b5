import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applySet, HelmError, renderChart } from './index.js';

function chart(templates: Record<string, string>, values = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-helm-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 1.0.0\n');
  writeFileSync(join(dir, 'values.yaml'), values);
  for (const [name, text] of Object.entries(templates)) writeFileSync(join(dir, 'templates', name), text);
  return dir;
}

async function failure(dir: string): Promise<HelmError> {
  try {
    await renderChart(dir);
  } catch (err) {
    if (err instanceof HelmError) return err;
    throw err;
  }
  throw new Error('rendered');
}

describe('renderChart errors', () => {
  it.each([
    [
      'a nil map field',
      'a: {{ .Values.x.y }}\n',
      'TEMPLATE_EXEC',
      /c\/templates\/t\.yaml:1:\d+: .*nil pointer evaluating interface \{\}\.y/,
    ],
    [
      'an unknown function',
      'a: {{ nosuch 1 }}\n',
      'TEMPLATE_PARSE',
      /c\/templates\/t\.yaml:1:\d+: function "nosuch" not defined/,
    ],
    [
      'an unclosed action',
      'a: {{ if true }}\n',
      'TEMPLATE_PARSE',
      /c\/templates\/t\.yaml:\d+:\d+: unexpected EOF/,
    ],
    [
      'required',
      'a: {{ required "tag is required" .Values.tag }}\n',
      'TEMPLATE_EXEC',
      /error calling required: tag is required/,
    ],
    ['fail', '{{ fail "stop here" }}', 'TEMPLATE_EXEC', /error calling fail: stop here/],
    ['an undefined variable', '{{ $x }}', 'TEMPLATE_PARSE', /undefined variable "\$x"/],
    [
      'comparing int with float',
      '{{ if gt .Values.n 1 }}{{ end }}',
      'TEMPLATE_EXEC',
      /error calling gt: invalid type for comparison/,
    ],
  ])('%s is one line naming the template file and line', async (_name, text, code, message) => {
    const err = await failure(chart({ 't.yaml': text }, 'n: 2\n'));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
  });

  describe('when a chart never finishes rendering', () => {
    it('stops an include that includes itself', async () => {
      const err = await failure(
        chart({ 't.yaml': '{{ define "a" }}{{ include "a" . }}{{ end }}{{ include "a" . }}' }),
      );
      expect(err.message).toMatch(/nested/);
    });

    it('stops values that tpl-render themselves', async () => {
      const err = await failure(chart({ 't.yaml': '{{ tpl .Values.t . }}' }, "t: '{{ tpl .Values.t . }}'\n"));
      expect(err.message).toContain('tpl nested more than 50 deep');
    });

    it('stops loops that run for ever', { timeout: 60_000 }, async () => {
      const err = await failure(
        chart({ 't.yaml': '{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}' }),
      );
      expect(err.message).toContain('rendering takes more than');
    });
  });
});

describe('--helm-set', () => {
  it.each([
    ['a.b=c', { a: { b: 'c' } }],
    ['n=10,z=0,o=007,t=true,f=FALSE,x=null', { n: 10n, z: 0n, o: '007', t: true, f: false, x: null }],
    ['list={a,b,c}', { list: ['a', 'b', 'c'] }],
    ['arr[1].name=x', { arr: [null, { name: 'x' }] }],
    ['a\\.b=c\\,d', { 'a.b': 'c,d' }],
    ['e=', { e: '' }],
  ])('%s', (expr, expected) => {
    const out = {};
    applySet(expr, out);
    expect(out).toEqual(expected);
  });

  it('keeps values as strings for --helm-set-string', () => {
    const out = {};
    applySet('n=10,t=true', out, true);
    expect(out).toEqual({ n: '10', t: 'true' });
  });

  it.each(['novalue', 'a..b=1', 'a[x]=1'])('refuses %s', (expr) => {
    expect(() => applySet(expr, {})).toThrow(HelmError);
  });
});
