import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderChart } from './index.js';

/**
 * Go template and Sprig semantics, one snippet each, checked against the real helm: each snippet
 * is a `define`, and `out.yaml` prints every one through `toJson`, so both renderers' outputs can
 * be compared string for string. `fixtures/expected/snippets.json` holds helm v3.21.4's answers.
 */
const SNIPPETS: Record<string, string> = {
  printInt: '{{ .Values.int }}',
  printBigFloat: '{{ .Values.big }}',
  printFloat: '{{ .Values.float }} {{ 1.5 }} {{ 1e6 }} {{ 0.00001 }}',
  printMissing: '[{{ .Values.missing }}]',
  printList: '{{ .Values.list }}',
  printMap: '{{ .Values.map }}',
  printNilInFmt: '{{ print nil }} {{ printf "%v" .Values.nothing }}',
  trimWhitespace: '  a  {{- " b " -}}  c  ',
  comment: 'x{{/* gone */}}y {{- /* trimmed */ -}} z',
  ifElse: '{{ if .Values.empty }}A{{ else if .Values.zero }}B{{ else if .Values.list }}C{{ else }}D{{ end }}',
  withElse:
    '{{ with .Values.missing }}has{{ else }}none{{ end }} {{ with .Values.map.nested }}{{ .k }}{{ end }}',
  rangeList: '{{ range $i, $v := .Values.list }}{{ $i }}={{ $v }};{{ end }}',
  rangeMapSorted: '{{ range $k, $v := .Values.labels }}{{ $k }}:{{ $v }},{{ end }}',
  rangeElse: '{{ range .Values.missing }}x{{ else }}empty{{ end }}',
  rangeInt: '{{ range 3 }}{{ . }}{{ end }}',
  rangeBreak: '{{ range .Values.nums }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }}',
  variables: '{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }} {{ $.Values.str }}',
  andOr:
    '{{ and 1 "" 3 }}|{{ or 0 "" "z" }}|{{ and .Values.enabled .Values.str }}|{{ not .Values.disabled }}',
  compare:
    '{{ eq .Values.str "hello" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ ge .Values.float 3.25 }} {{ eq "a" "b" "a" }}',
  lenIndex: '{{ len .Values.list }} {{ index .Values.list 1 }} {{ index .Values.map "a" }} {{ len "héllo" }}',
  slice: '{{ slice .Values.list 1 }} {{ slice .Values.nums 0 2 }}',
  printf: '{{ printf "%s-%d-%v-%q-%5.2f|%-4s|%04d|%x|%t" "a" 3 .Values.list "q" 3.14159 "l" 7 255 true }}',
  printfBad: '{{ printf "%d %s" "str" }}',
  printfFloatVerb: '{{ printf "%d" .Values.int }}',
  defaultFn:
    '{{ default "d" .Values.missing }} {{ default "d" .Values.empty }} {{ .Values.zero | default 5 }} {{ default "d" .Values.str }}',
  quoteFns:
    '{{ quote .Values.str .Values.int }} {{ squote .Values.enabled }} {{ quote "a\\"b\\n" }} {{ quote .Values.missing }}',
  strings:
    '{{ upper "abc" }} {{ lower "ABC" }} {{ title "hello world" }} {{ trim "  x  " }} {{ trimSuffix "-" "a-" }} {{ trimPrefix "a" "ab" }} {{ trunc 3 "abcdef" }} {{ trunc -2 "abcdef" }}',
  strings2:
    '{{ replace "a" "b" "banana" }} {{ contains "nan" "banana" }} {{ hasPrefix "ba" "banana" }} {{ repeat 3 "x" }} {{ substr 1 3 "abcdef" }} {{ nospace "a b c" }} {{ abbrev 5 "hello world" }}',
  indent: '{{ indent 2 "a\\nb" }}|{{ nindent 4 "c\\nd" }}',
  toYaml: '{{ toYaml .Values.map }}',
  toYamlList: '{{ toYaml .Values.list }}',
  toJson: '{{ toJson .Values.map }} {{ toJson "<a&b>" }} {{ toJson .Values.float }}',
  fromYaml: '{{ $m := fromYaml "a: 1\\nb: [x, y]" }}{{ $m.a }} {{ index $m.b 1 }}',
  fromJson: '{{ (fromJson "{\\"k\\": [1, 2]}").k }}',
  lists:
    '{{ list 1 "a" 2.5 }} {{ first .Values.list }} {{ last .Values.list }} {{ rest .Values.list }} {{ initial .Values.list }} {{ append .Values.list "d" }} {{ prepend .Values.list "z" }}',
  lists2:
    '{{ uniq (list 1 1 2) }} {{ without .Values.list "a" }} {{ has "a" .Values.list }} {{ compact (list "" "x" 0) }} {{ reverse .Values.list }} {{ sortAlpha .Values.list }} {{ concat .Values.list (list 9) }}',
  until: '{{ until 3 }} {{ untilStep 1 10 3 }} {{ seq 3 }}',
  join: '{{ join "," .Values.list }} {{ splitList "," "a,b" }} {{ join "-" .Values.nums }}',
  dicts:
    '{{ $d := dict "b" 2 "a" 1 }}{{ $d }} {{ hasKey $d "a" }} {{ get $d "b" }} {{ keys $d | sortAlpha }} {{ $_ := set $d "c" 3 }}{{ $d.c }} {{ unset $d "a" }}',
  dicts2:
    '{{ pick .Values.map "a" "z" }} {{ omit .Values.map "nested" }} {{ pluck "a" .Values.map (dict "a" 9) }} {{ dig "nested" "k" "none" .Values.map }}',
  merge:
    '{{ $a := dict "x" 1 "m" (dict "p" 1) }}{{ $b := dict "x" 2 "y" 3 "m" (dict "p" 2 "q" 3) }}{{ merge $a $b }} {{ mergeOverwrite (dict "x" 1) (dict "x" 2) }}',
  math: '{{ add 1 2 3 }} {{ sub 10 4 }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 3 }} {{ add1 .Values.int }} {{ max 1 5 3 }} {{ min 4 2 }} {{ add .Values.float 1 }}',
  mathFloat: '{{ floor 2.7 }} {{ ceil 2.1 }} {{ round 2.456 2 }} {{ addf 1.5 2 }} {{ divf 1 4 }}',
  conversions:
    '{{ int "42" }} {{ int64 .Values.float }} {{ float64 "1.5" }} {{ atoi "12" }} {{ toString 5 }} {{ int .Values.big }}',
  ternary: '{{ ternary "yes" "no" true }} {{ ternary "yes" "no" .Values.disabled }}',
  coalesce:
    '{{ coalesce .Values.missing .Values.empty "first" "second" }} {{ empty .Values.list }} {{ empty .Values.zero }}',
  encoding:
    '{{ b64enc "hello" }} {{ b64dec "aGVsbG8=" }} {{ sha256sum "hello" }} {{ sha1sum "x" }} {{ adler32sum "hello" }}',
  regex:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: `${1}` is Go's regexp expansion, not a JS placeholder
    '{{ regexMatch "^h.l+o$" "hello" }} {{ regexFind "[0-9]+" "ab123cd45" }} {{ regexFindAll "[0-9]+" "ab123cd45" -1 }} {{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }} {{ regexSplit "," "a,b,c" 2 }}',
  semver:
    '{{ semverCompare ">=1.19-0" "v1.34.0" }} {{ semverCompare "^1.2" "1.9.0" }} {{ semverCompare "~1.2.3" "1.3.0" }} {{ semverCompare "<1.20" "1.19.5" }} {{ semverCompare ">=1.2, <2" "2.0.0" }} {{ semverCompare "1.2.x || 3.x" "3.1.0" }} {{ (semver "1.2.3-rc.1").Prerelease }}',
  types:
    '{{ typeOf .Values.int }} {{ typeOf 1 }} {{ typeOf .Values.list }} {{ kindOf .Values.map }} {{ kindIs "string" .Values.str }} {{ typeOf nil }}',
  chart:
    '{{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.AppVersion }} {{ .Chart.IsRoot }} {{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.Revision }}',
  capabilities:
    '{{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "nope/v1" }}',
  template: '{{ .Template.Name }} {{ .Template.BasePath }}',
  files:
    '{{ .Files.Get "files/a.txt" }}|{{ range $p, $_ := .Files.Glob "files/*.txt" }}{{ $p }};{{ end }}|{{ .Files.Lines "files/a.txt" }}',
  filesAsConfig: '{{ (.Files.Glob "files/*.txt").AsConfig }}',
  filesMissing: '[{{ .Files.Get "Chart.yaml" }}][{{ .Files.Get "../secret" }}]',
  include: '{{ include "helper" (dict "name" "x") }} {{ include "helper" (dict "name" "y") | upper }}',
  templateAction: '{{ template "helper" (dict "name" "t") }}',
  tpl: '{{ tpl "{{ .Values.str }}-{{ .Release.Name }}" . }} {{ tpl .Values.version . }}',
  block: '{{ block "blk" . }}default {{ .Values.str }}{{ end }}',
  required: '{{ required "need it" .Values.str }}',
  multiline: '{{ .Values.multiline | nindent 2 }}',
  noValueText: 'a <no value> b',
  chainedParens: '{{ (dict "a" (dict "b" "deep")).a.b }} {{ (index .Values.map "nested").k }}',
  varMissingField: '{{ $m := .Values.missing }}[{{ $m.field }}]',
  keywordsInStrings: '{{ "{{ not a template }}" }}',
  rawString: '{{ `raw\\n` }}',
  charAndNumbers: "{{ 'a' }} {{ 0x1F }} {{ 0o17 }} {{ 1_000 }} {{ -3 }} {{ 017 }}",
  numberBoundary: '{{ 123456.0 }} {{ 1234567.0 }} {{ 100000.0 }} {{ 999999.0 }}',
  deepCopyIndependent:
    '{{ $c := deepCopy .Values.map }}{{ $_ := set $c "a" "changed" }}{{ .Values.map.a }} {{ $c.a }}',
};

const FIXTURES = join(import.meta.dirname, 'fixtures');
const EXPECTED = join(FIXTURES, 'expected', 'snippets.json');

function snippetChart(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-snippets-'));
  const chart = join(dir, 'snippets');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  mkdirSync(join(chart, 'files'));
  writeFileSync(
    join(chart, 'Chart.yaml'),
    'apiVersion: v2\nname: snippets\nversion: 1.2.3\nappVersion: "4.5"\n',
  );
  cpSync(join(FIXTURES, 'snippets-values.yaml'), join(chart, 'values.yaml'));
  writeFileSync(join(chart, 'files', 'a.txt'), 'first\nsecond\n');
  writeFileSync(join(chart, 'files', 'b.txt'), 'bee');
  const defs = Object.entries(SNIPPETS).map(([name, body]) => `{{- define "s.${name}" -}}${body}{{- end -}}`);
  defs.push('{{- define "helper" -}}hello {{ .name }}{{- end -}}');
  writeFileSync(join(chart, 'templates', '_snippets.tpl'), defs.join('\n'));
  const out = Object.keys(SNIPPETS).map((name) => `${name}: {{ include "s.${name}" . | toJson }}`);
  writeFileSync(join(chart, 'templates', 'out.yaml'), `${out.join('\n')}\n`);
  return chart;
}

function helmBinary(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), join(homedir(), 'go', 'bin')]) {
    if (dir && existsSync(join(dir, 'helm'))) return join(dir, 'helm');
  }
  return undefined;
}

/** The rendered `out.yaml`: snippet name to its output (each line is `name: "json string"`). */
function outputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+): (".*")$/.exec(line);
    if (m) out[m[1]!] = JSON.parse(m[2]!) as string;
  }
  return out;
}

async function ours(chart: string): Promise<Record<string, string>> {
  const r = await renderChart(chart, { kubeVersion: 'v1.34.0' });
  return outputs(r.templates.find((t) => t.source === 'snippets/templates/out.yaml')!.text);
}

const helm = helmBinary();

describe('Go template and Sprig snippets compared with helm', () => {
  it.runIf(helm !== undefined)('each snippet renders as the real helm renders it', async () => {
    const chart = snippetChart();
    const theirs = outputs(
      execFileSync(helm!, ['template', chart, '--kube-version', 'v1.34.0'], { encoding: 'utf8' }),
    );
    if (process.env.UPDATE_HELM_FIXTURES) writeFileSync(EXPECTED, `${JSON.stringify(theirs, null, 2)}\n`);
    expect(Object.keys(theirs)).toHaveLength(Object.keys(SNIPPETS).length);
    expect(await ours(chart)).toEqual(theirs);
  });

  it('each snippet renders as recorded from helm', async () => {
    const recorded = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Record<string, string>;
    expect(Object.keys(recorded).sort()).toEqual(Object.keys(SNIPPETS).sort());
    expect(await ours(snippetChart())).toEqual(recorded);
  });
});
