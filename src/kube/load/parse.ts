import { Composer, type Document, isMap, isSeq, LineCounter, type Node, Parser } from 'yaml';
import { tolerant, z } from '../../core/schema.js';
import type { ScanError } from '../../core/types.js';
import { NodeLines } from './positions.js';
import { type KubeResource, LOADER_NAME, type LoadResult } from './types.js';
import { firstDuplicateKey } from './unique-keys.js';

/** Same guard as the YAML library's default, stated here so a billion-laughs document fails as one error. */
const MAX_ALIAS_COUNT = 100;

type Plain = Record<string, unknown>;

const Mapping = z.record(z.string(), z.unknown());
const isMapping = (v: unknown): v is Plain => Mapping.safeParse(v).success;

// The header every check relies on. The loader reads any YAML in a directory, so a header field of
// another shape reads as absent (and an object without kind and apiVersion is not a resource).
const Text = tolerant(z.string().min(1));
const Header = z.compile(
  z.object({
    kind: Text,
    apiVersion: Text,
    metadata: tolerant(z.object({ name: Text, generateName: Text, namespace: Text })),
  }),
);

/** A resource, an error message, or null for a mapping that is not a Kubernetes object at all. */
function makeResource(object: Plain, file: string, lines: NodeLines): KubeResource | string | null {
  const { kind, apiVersion, metadata } = Header.parse(object);
  if (!kind && !apiVersion) return null;
  if (!kind) return 'missing kind';
  if (!apiVersion) return `${kind}: missing apiVersion`;
  const namespace = metadata?.namespace;
  return {
    apiVersion,
    kind,
    name: metadata?.name ?? metadata?.generateName ?? '',
    ...(namespace ? { namespace } : {}),
    object,
    file,
    line: lines.line,
    lineOf: (path) => lines.lineOf(path),
  };
}

/**
 * Turns one YAML document into resources: the document itself, or each item of a `kind: List`
 * (every item keeps its own line). Empty documents and mappings with neither `kind` nor
 * `apiVersion` (other YAML in a scanned directory) are skipped; other documents that are not
 * resources are errors.
 */
function documentResources(
  doc: Document.Parsed,
  file: string,
  counter: LineCounter,
  out: KubeResource[],
  errors: ScanError[],
): void {
  const root = doc.contents as Node | null;
  if (root === null) return;
  const line = counter.linePos(root.range?.[0] ?? 0).line;
  const fail = (message: string, at = line) =>
    errors.push({ analyzer: LOADER_NAME, path: file, message: `line ${at}: ${message}` });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
    return;
  }
  if (value === null || value === undefined) return;
  if (!isMapping(value) || !isMap(root)) {
    fail('document is not a mapping');
    return;
  }
  const items = value.items;
  const itemsNode = root.get('items', true);
  if (
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(items) &&
    isSeq(itemsNode)
  ) {
    items.forEach((item, i) => {
      const node = itemsNode.items[i] as Node;
      const lines = new NodeLines(node, doc, counter);
      if (!isMapping(item)) {
        fail(`items[${i}] is not a mapping`, lines.line);
        return;
      }
      const made = makeResource(item, file, lines);
      if (typeof made === 'string') fail(`items[${i}]: ${made}`, lines.line);
      else if (made) out.push(made);
    });
    return;
  }
  const made = makeResource(value, file, new NodeLines(root, doc, counter));
  if (typeof made === 'string') fail(made);
  else if (made) out.push(made);
}

/**
 * Parses one in-memory text (multi-document YAML or JSON) into resources. A document with a
 * syntax error, or that is not a resource, becomes one entry in `errors` (file and line) and is
 * skipped; the other documents are still returned.
 */
export function parseKubeText(text: string, file: string): LoadResult {
  const counter = new LineCounter();
  const parser = new Parser(counter.addNewLine);
  // Kubernetes reads manifests as YAML 1.1 (sigs.k8s.io/yaml): `0644` is octal, `<<` merges.
  // duplicate keys are found by `firstDuplicateKey` in one pass (the library's check is quadratic)
  const composer = new Composer({ version: '1.1', prettyErrors: false, uniqueKeys: false });
  const resources: KubeResource[] = [];
  const errors: ScanError[] = [];
  for (const doc of composer.compose(parser.parse(text))) {
    const first = doc.errors[0];
    if (first) {
      const at = counter.linePos(first.pos[0]).line;
      errors.push({ analyzer: LOADER_NAME, path: file, message: `line ${at}: ${firstLine(first.message)}` });
      continue;
    }
    const duplicate = firstDuplicateKey(doc);
    if (duplicate !== undefined) {
      const at = counter.linePos(duplicate).line;
      errors.push({ analyzer: LOADER_NAME, path: file, message: `line ${at}: Map keys must be unique` });
      continue;
    }
    documentResources(doc, file, counter, resources, errors);
  }
  return { resources, errors };
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
