import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Composer, isMap, LineCounter, type Node, Parser } from 'yaml';
import { parseKubeText } from './index.js';
import { buildLineIndex, lineOfPath, packedLineOf, packLines } from './positions.js';
import type { ObjectPath } from './types.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Every YAML fixture under the Kubernetes code and test/fixtures (small ones). */
function fixtures(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const info = statSync(path);
      if (info.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name) && info.size < 200_000) out.push(path);
    }
  };
  walk(join(root, 'src/kube'));
  walk(join(root, 'test/fixtures'));
  return out.sort();
}

/** Each document of `text`: its node tree, its object, both indexes. */
function documents(text: string) {
  const counter = new LineCounter();
  const lineAt = (offset: number) => counter.linePos(offset).line;
  const composer = new Composer({ version: '1.1', prettyErrors: false, uniqueKeys: false });
  const out = [];
  for (const doc of composer.compose(new Parser(counter.addNewLine).parse(text))) {
    if (doc.errors.length > 0 || !isMap(doc.contents)) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch {
      continue;
    }
    const node = doc.contents as Node;
    out.push({
      value,
      tree: buildLineIndex(node, doc, lineAt),
      packed: packLines(node, value, lineAt),
    });
  }
  return out;
}

/** Every path into `value`, plus one missing key and one index past the end under each collection. */
function paths(value: unknown, prefix: ObjectPath = [], out: ObjectPath[] = []): ObjectPath[] {
  out.push(prefix);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      paths(v, [...prefix, i], out);
    });
    out.push([...prefix, value.length], [...prefix, 'x']);
  } else if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
    out.push([...prefix, 'no-such-key'], [...prefix, 0]);
  }
  return out;
}

describe('packed line index', () => {
  it('gives the line the node-tree index gives, for every path of every fixture document', () => {
    let packedDocs = 0;
    let checked = 0;
    for (const file of fixtures()) {
      for (const { value, tree, packed } of documents(readFileSync(file, 'utf8'))) {
        if (!packed) continue;
        packedDocs++;
        for (const path of paths(value)) {
          expect([file, path, packedLineOf(packed, 0, value, path)]).toEqual([
            file,
            path,
            lineOfPath(tree, path),
          ]);
          checked++;
        }
      }
    }
    expect(packedDocs).toBeGreaterThan(100);
    expect(checked).toBeGreaterThan(5000);
  });

  it('matches the node-tree index on flow style, multi-line strings, comments and odd keys', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: a, labels: {x: "1", z: '2'}, annotations: {"q": "two
    lines"}}
data:
  script: |
    line one

    line three
  folded: >
    a
    b
  plain: multi
    line plain
  "quoted key": "multi
    line quoted"
  ? explicit
  : value
  "80": eighty
  list: [a, {b: c, d: [e, f]}, [g]]
  empty: []
  emptyMap: {}
  nothing:
  # a comment
  after: 1
`;
    const docs = documents(text);
    expect(docs).toHaveLength(1);
    const { tree, packed } = docs[0]!;
    // "80" is an integer-like key: JS puts it first, so the object's key order is not the
    // document's and the packed index is not used (the node tree's is)
    expect(packed).toBeUndefined();
    const withoutIntKey = documents(text.replace('  "80": eighty\n', ''))[0]!;
    expect(withoutIntKey.packed).toBeDefined();
    for (const path of paths(withoutIntKey.value))
      expect([path, packedLineOf(withoutIntKey.packed!, 0, withoutIntKey.value, path)]).toEqual([
        path,
        lineOfPath(withoutIntKey.tree, path),
      ]);
    expect(lineOfPath(tree, ['data', 'after'])).toBe(25);
    expect(packedLineOf(withoutIntKey.packed!, 0, withoutIntKey.value, ['data', 'after'])).toBe(24);
    expect(packedLineOf(withoutIntKey.packed!, 0, withoutIntKey.value, ['data', 'list', 1, 'd', 1])).toBe(19);
    expect(
      packedLineOf(withoutIntKey.packed!, 0, withoutIntKey.value, ['metadata', 'annotations', 'q']),
    ).toBe(3);
  });

  it('leaves documents with anchors, aliases and merge keys to the node-tree index', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec:
  template:
    spec:
      containers:
        - &app
          name: app
          image: x
        - <<: *app
          name: sidecar
`;
    const [doc] = documents(text);
    expect(doc?.packed).toBeUndefined();
    const [r] = parseKubeText(text, 'a.yaml').resources;
    const c = ['spec', 'template', 'spec', 'containers'];
    expect(r?.lineOf([...c, 0, 'image'])).toBe(10);
    expect(r?.lineOf([...c, 1])).toBe(11);
    expect(r?.lineOf([...c, 1, 'name'])).toBe(12);
  });
});

describe('line numbers deep in a large stream', () => {
  it('points document 5,000 of 10,000 (and the last) at its own lines', () => {
    const doc = (i: number) =>
      `# Source: chart/templates/d.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, labels: {idx: "${i}"}}
spec:
  template:
    spec:
      containers:
        - name: app
          image: "registry/app:${i}"
          command:
            - sh
            - -c
            - |
              echo ${i}
              exec app
          securityContext: {privileged: true, capabilities: {add: [NET_ADMIN]}}
`;
    const perDoc = doc(0).split('\n').length; // lines of one document plus the '---' line
    const text = Array.from({ length: 10_000 }, (_, i) => doc(i)).join('---\n');
    const { resources, errors } = parseKubeText(text, 'big.yaml');
    expect(errors).toEqual([]);
    expect(resources).toHaveLength(10_000);
    for (const i of [0, 4_999, 9_999]) {
      const r = resources[i]!;
      const first = i * perDoc + 2; // its apiVersion line
      expect(r.name).toBe(`app-${i}`);
      expect(r.line).toBe(first);
      const c = ['spec', 'template', 'spec', 'containers', 0];
      expect(r.lineOf(['metadata', 'labels', 'idx'])).toBe(first + 2);
      expect(r.lineOf([...c])).toBe(first + 7);
      expect(r.lineOf([...c, 'image'])).toBe(first + 8);
      expect(r.lineOf([...c, 'command', 1])).toBe(first + 11);
      expect(r.lineOf([...c, 'command', 2])).toBe(first + 12); // the block scalar's item
      expect(r.lineOf([...c, 'command', 3])).toBeUndefined();
      expect(r.lineOf([...c, 'securityContext', 'capabilities', 'add', 0])).toBe(first + 15);
      expect(r.lineOf([...c, 'securityContext', 'runAsUser'])).toBeUndefined();
    }
  }, 120_000);
});
