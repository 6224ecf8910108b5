import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES, parseKubeText, splitYamlDocuments } from './index.js';

/** The chunks of `text` as [first line, text]. */
function split(text: string): [number, string][] {
  const bytes = Buffer.from(text, 'utf8');
  return [...splitYamlDocuments(bytes)].map((c) => [c.line, bytes.toString('utf8', c.start, c.end)]);
}

describe('YAML stream splitter', () => {
  it.each<[string, string, [number, string][]]>([
    ['one document without a marker', 'a: 1\nb: 2\n', [[1, 'a: 1\nb: 2\n']]],
    [
      'two documents',
      'a: 1\n---\nb: 2\n',
      [
        [1, 'a: 1\n'],
        [2, '---\nb: 2\n'],
      ],
    ],
    [
      'a leading marker',
      '---\na: 1\n---\nb: 2',
      [
        [1, '---\na: 1\n'],
        [3, '---\nb: 2'],
      ],
    ],
    [
      'leading comments, kept with the first document',
      '# Source: x\n\n---\na: 1\n',
      [[1, '# Source: x\n\n---\na: 1\n']],
    ],
    [
      'a comment after the marker',
      'a: 1\n--- # Source: y\nb: 2\n',
      [
        [1, 'a: 1\n'],
        [2, '--- # Source: y\nb: 2\n'],
      ],
    ],
    [
      'content after the marker',
      'a: 1\n--- {b: 2}\n',
      [
        [1, 'a: 1\n'],
        [2, '--- {b: 2}\n'],
      ],
    ],
    [
      'a tab after the marker',
      'a: 1\n---\t\nb: 2\n',
      [
        [1, 'a: 1\n'],
        [2, '---\t\nb: 2\n'],
      ],
    ],
    ['---- and ---x, which are not markers', 'a: |\n----\n---x\n', [[1, 'a: |\n----\n---x\n']]],
    [
      'a block scalar holding --- lines (indented)',
      'a: |\n  ---\n  --- x\nb: 1\n---\nc: 2\n',
      [
        [1, 'a: |\n  ---\n  --- x\nb: 1\n'],
        [5, '---\nc: 2\n'],
      ],
    ],
    [
      '... end markers',
      'a: 1\n...\n# between\n---\nb: 2\n...\n',
      [
        [1, 'a: 1\n...\n'],
        [3, '# between\n---\nb: 2\n...\n'],
      ],
    ],
    [
      'a %YAML directive, kept with its document',
      '%YAML 1.1\n---\na: 1\n---\nb: 2\n',
      [
        [1, '%YAML 1.1\n---\na: 1\n'],
        [4, '---\nb: 2\n'],
      ],
    ],
    [
      'a directive after ...',
      'a: 1\n...\n%YAML 1.1\n---\nb: 2\n',
      [
        [1, 'a: 1\n...\n'],
        [3, '%YAML 1.1\n---\nb: 2\n'],
      ],
    ],
    [
      'empty documents',
      '---\n---\n\n---\na: 1\n',
      [
        [1, '---\n'],
        [2, '---\n\n'],
        [4, '---\na: 1\n'],
      ],
    ],
    [
      'CRLF line ends',
      'a: 1\r\n---\r\nb: 2\r\n--- \r\nc: 3\r\n',
      [
        [1, 'a: 1\r\n'],
        [2, '---\r\nb: 2\r\n'],
        [4, '--- \r\nc: 3\r\n'],
      ],
    ],
    [
      'a byte-order mark',
      '\uFEFFa: 1\n---\nb: 2\n',
      [
        [1, 'a: 1\n'],
        [2, '---\nb: 2\n'],
      ],
    ],
    ['an empty stream', '', []],
  ])('splits %s', (_name, text, chunks) => {
    expect(split(text)).toEqual(chunks);
  });
});

describe('documents parsed one by one', () => {
  const text = [
    '# Source: chart/templates/a.yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: a}',
    'data:',
    '  script: |',
    '    ---',
    '    --- not a marker',
    '    echo hi',
    '--- # Source: chart/templates/b.yaml',
    '# a comment',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: b',
    'data:',
    '  note: >',
    '    folded',
    '',
    '    text',
    '...',
    '# between documents',
    '---',
    '',
    '# Source: chart/templates/c.yaml',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: c',
    '  annotations:',
    '    doc: |',
    '      --- inside',
    '      # not a comment',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: nginx',
    '',
  ].join('\n');

  it('keeps the stream line of every field in the third document', () => {
    const { resources, errors } = parseKubeText(text, 'chart.yaml');
    expect(errors).toEqual([]);
    expect(resources.map((r) => [r.name, r.line])).toEqual([
      ['a', 2],
      ['b', 12],
      ['c', 26],
    ]);
    const c = resources[2];
    expect(c?.lineOf(['metadata', 'annotations', 'doc'])).toBe(31);
    expect(c?.lineOf(['spec', 'template', 'spec', 'containers', 0])).toBe(38);
    expect(c?.lineOf(['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe(39);
    expect(c?.object).toMatchObject({ metadata: { annotations: { doc: '--- inside\n# not a comment\n' } } });
    expect(resources[0]?.object).toMatchObject({ data: { script: '---\n--- not a marker\necho hi\n' } });
  });

  it('reports errors at their stream line, with CRLF line ends too', () => {
    const crlf =
      'apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: a}\r\n---\r\napiVersion: v1\r\nkind: Pod\r\nkind: Pod\r\n';
    const { resources, errors } = parseKubeText(crlf, 'x.yaml');
    expect(resources.map((r) => r.name)).toEqual(['a']);
    expect(errors.map((e) => e.message)).toEqual(['line 7: Map keys must be unique']);
  });

  it('reads a %YAML directive and a byte-order mark', () => {
    const { resources, errors } = parseKubeText(
      '\uFEFF%YAML 1.1\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n',
      'x.yaml',
    );
    expect(errors).toEqual([]);
    expect(resources.map((r) => [r.name, r.line])).toEqual([['a', 3]]);
  });

  it('refuses a document over the cap by its first line and still parses the others', () => {
    const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\n`;
    const lines = Math.ceil(MAX_DOCUMENT_BYTES / 16);
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n${'  k: vvvvvvvvvvv\n'.repeat(lines)}`;
    const { resources, errors } = parseKubeText(`${pod('a')}---\n${big}---\n${pod('b')}`, 'x.yaml');
    expect(resources.map((r) => [r.name, r.line])).toEqual([
      ['a', 1],
      ['b', lines + 10],
    ]);
    expect(errors).toEqual([
      {
        analyzer: 'kube/load',
        path: 'x.yaml',
        message: expect.stringMatching(/^line 4: document of \d+ bytes is over the 16 MiB/),
      },
    ]);
  });
});
