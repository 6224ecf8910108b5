import { Composer, type Document, isMap, isSeq, LineCounter, type Node, Parser } from 'yaml';
import { tolerant, z } from '../../core/schema.js';
import type { ScanError } from '../../core/types.js';
import { compactStrings } from './compact.js';
import {
  buildLineIndex,
  indexAt,
  indexLine,
  type LineIndex,
  lineOfPath,
  packedAt,
  packedLineOf,
  packLines,
} from './positions.js';
import { splitYamlDocuments } from './split.js';
import { type KubeResource, LOADER_NAME, type LoadResult, type ObjectPath } from './types.js';
import { firstDuplicateKey } from './unique-keys.js';

/** Same guard as the YAML library's default, stated here so a billion-laughs document fails as one error. */
const MAX_ALIAS_COUNT = 100;

/**
 * Largest single YAML document parsed. The YAML library holds about thirty times a document's text
 * while it composes it (a 32 MiB document exhausts a 512 MiB heap, a 50 MB one ran for minutes);
 * 16 MiB is several times the largest real resource (a CRD with its whole OpenAPI schema is ~1 MiB).
 */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** The 1-based line in the whole stream of an offset into one document's text. */
type LineOf = (offset: number) => number;

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

/** Where a resource's fields are: its own line and the line of any path in it. */
interface Lines {
  readonly line: number;
  readonly lineOf: (path: ObjectPath) => number | undefined;
}

/** Lines from the index of the YAML node tree (documents with aliases or merge keys). */
function treeLines(index: LineIndex): Lines {
  return { line: indexLine(index), lineOf: (path) => lineOfPath(index, path) };
}

/** Lines from the packed index of the node at `at`, whose object is `object`. */
function packedLines(rec: Int32Array, at: number, object: unknown): Lines {
  return { line: rec[at] || 1, lineOf: (path) => packedLineOf(rec, at, object, path) };
}

/** A resource, an error message, or null for a mapping that is not a Kubernetes object at all. */
function makeResource(object: Plain, file: string, lines: Lines): KubeResource | string | null {
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
    lineOf: lines.lineOf,
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
  lineAt: LineOf,
  out: KubeResource[],
  errors: ScanError[],
): void {
  const root = doc.contents as Node | null;
  if (root === null) return;
  const line = lineAt(root.range?.[0] ?? 0);
  const fail = (message: string, at = line) =>
    errors.push({ analyzer: LOADER_NAME, path: file, message: `line ${at}: ${message}` });
  // a duplicate key is the document's error before any other: looked for (one pass over the
  // tree) only when the document fails otherwise or its object lacks a key of its YAML, which a
  // duplicate always causes (a packed index proves there is none)
  const duplicated = (): boolean => {
    const at = firstDuplicateKey(doc);
    if (at !== undefined) fail('Map keys must be unique', lineAt(at));
    return at !== undefined;
  };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (!duplicated()) fail(err instanceof Error ? err.message : String(err));
    return;
  }
  if (value === null || value === undefined) return;
  if (!isMapping(value) || !isMap(root)) {
    if (!duplicated()) fail('document is not a mapping');
    return;
  }
  // the packed index when the object has the document's shape, else the node tree's index
  const packed = packLines(root, value, lineAt);
  if (!packed && duplicated()) return;
  compactStrings(value);
  const index = packed ? undefined : buildLineIndex(root, doc, lineAt);
  const items = value.items;
  const itemsNode = root.get('items', true);
  if (
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(items) &&
    isSeq(itemsNode)
  ) {
    items.forEach((item, i) => {
      const at = packed ? packedAt(packed, 0, value, ['items', i]) : undefined;
      const lines =
        packed && at !== undefined
          ? packedLines(packed, at, item)
          : treeLines((index && indexAt(index, ['items', i])) ?? line);
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
  const made = makeResource(value, file, packed ? packedLines(packed, 0, value) : treeLines(index!));
  if (typeof made === 'string') fail(made);
  else if (made) out.push(made);
}

/**
 * Parses one in-memory text (multi-document YAML or JSON) into resources. A document with a
 * syntax error, or that is not a resource, becomes one entry in `errors` (file and line) and is
 * skipped; the other documents are still returned.
 */
export function parseKubeText(text: string, file: string): LoadResult {
  return parseKubeBytes(Buffer.from(text, 'utf8'), file);
}

/**
 * `parseKubeText` on the stream's bytes: it is split into documents first, each decoded and parsed
 * alone (so no string of the whole stream is ever made, and what a resource keeps is its own
 * document). A document over `MAX_DOCUMENT_BYTES` is one error naming its first line; the others
 * are still parsed.
 */
export function parseKubeBytes(bytes: Uint8Array, file: string): LoadResult {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const resources: KubeResource[] = [];
  const errors: ScanError[] = [];
  for (const chunk of splitYamlDocuments(buf)) {
    const size = chunk.end - chunk.start;
    if (size > MAX_DOCUMENT_BYTES) {
      const message = `line ${chunk.line}: document of ${size} bytes is over the 16 MiB (${MAX_DOCUMENT_BYTES}-byte) limit, skipped`;
      errors.push({ analyzer: LOADER_NAME, path: file, message });
      continue;
    }
    parseDocuments(buf.toString('utf8', chunk.start, chunk.end), chunk.line, file, resources, errors);
  }
  return { resources, errors };
}

/** Parses the text of one chunk (normally one document) whose first line is `firstLine` of the stream. */
function parseDocuments(
  text: string,
  firstLine: number,
  file: string,
  resources: KubeResource[],
  errors: ScanError[],
): void {
  const counter = new LineCounter();
  const lineAt: LineOf = (offset) => counter.linePos(offset).line + firstLine - 1;
  const parser = new Parser(counter.addNewLine);
  // Kubernetes reads manifests as YAML 1.1 (sigs.k8s.io/yaml): `0644` is octal, `<<` merges.
  // duplicate keys are found by `firstDuplicateKey` in one pass (the library's check is quadratic)
  const composer = new Composer({ version: '1.1', prettyErrors: false, uniqueKeys: false });
  for (const doc of composer.compose(parser.parse(text))) {
    const first = doc.errors[0];
    if (first) {
      const at = lineAt(first.pos[0]);
      errors.push({
        analyzer: LOADER_NAME,
        path: file,
        message: `line ${at}: ${firstLineOf(first.message)}`,
      });
      continue;
    }
    documentResources(doc, file, lineAt, resources, errors);
  }
}

function firstLineOf(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
