import { getHeapStatistics } from 'node:v8';
import { stringify } from 'yaml';
import { readInputFile } from '../../core/safe-read.js';
import type { ScanError } from '../../core/types.js';
import { renderChart } from '../helm/index.js';
import { buildKustomization } from '../kustomize/index.js';
import { KubeLoadError } from './errors.js';
import { collectFiles } from './files.js';
import { parseKubeBytes, parseKubeText } from './parse.js';
import { type KubeResource, LOADER_NAME, type LoadOptions, type LoadResult } from './types.js';

/**
 * Largest manifest file (or stdin) ever read, files and stdin alike. The bytes are split into
 * documents before parsing and each document is capped on its own (`MAX_DOCUMENT_BYTES`), so what
 * a manifest costs is what its resources keep, not the YAML library's working set.
 */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

const MiB = 1024 * 1024;
/** the CLI's own heap (code, tables) before any manifest is read */
const HEAP_BASELINE = 32 * MiB;
/**
 * Heap `strata config` holds at its peak per byte of manifest: resources (objects and line index,
 * ~9x for Helm-like workloads), their findings (~8x) and the report. Measured under a 512 MiB heap:
 * 12 MiB of such Deployments pass, 16 MiB sometimes abort, 20 MiB always do; 40 keeps a margin.
 */
const HEAP_PER_BYTE = 40;

/**
 * The manifest cap for this process: `MAX_MANIFEST_BYTES`, lowered to what the heap can hold
 * (13.2 MiB under a 512 MiB heap, 103 MiB under 4 GiB), so a big manifest is one error naming it
 * instead of an out-of-memory abort.
 */
export function manifestByteLimit(heapLimit = getHeapStatistics().heap_size_limit): number {
  const fits = Math.floor((heapLimit - HEAP_BASELINE) / HEAP_PER_BYTE);
  return Math.min(MAX_MANIFEST_BYTES, Math.max(MiB, fits));
}

/** The name findings carry for resources read from stdin. */
export const STDIN_NAME = 'stdin';

/** Reads a stream whole, up to `limit` bytes; beyond it a `TOO_LARGE` error (the rest is not read). */
export async function readStream(
  stream: NodeJS.ReadableStream,
  limit = manifestByteLimit(),
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > limit) throw new KubeLoadError('TOO_LARGE', `stdin: larger than ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function readManifest(file: string): Buffer {
  return readInputFile(file, { kind: 'manifest', maxBytes: manifestByteLimit() });
}

/**
 * Loads Kubernetes resources from files, directories (recursive, `*.yaml|*.yml|*.json`) and `-`
 * (stdin). A directory holding a `Chart.yaml` is a Helm chart: it is rendered (`options.helm`
 * values) and its templates are never parsed as YAML; a template error is a thrown `HelmError`. A
 * directory holding a `kustomization.yaml` is built (a `KustomizeError` names what cannot be). A file that cannot be read, or a document that does not parse, becomes an entry in
 * `errors` and the rest is still loaded. Inputs that do not exist are user errors (thrown).
 */
export async function loadKubeResources(
  inputs: readonly string[],
  options: LoadOptions = {},
): Promise<LoadResult> {
  const { files, charts, kustomizations, errors: skipped } = await collectFiles(inputs);
  const resources: KubeResource[] = [];
  const errors: ScanError[] = [...skipped];
  for (const chart of charts) {
    // a chart is rendered as `helm template` would; each document points at its `# Source:` template
    const rendered = await renderChart(chart, options.helm);
    for (const e of rendered.errors) errors.push(e);
    for (const t of rendered.templates) {
      const parsed = parseKubeText(t.text, t.source);
      for (const r of parsed.resources) resources.push(r);
      for (const e of parsed.errors) errors.push(e);
    }
  }
  for (const dir of kustomizations) {
    // a kustomization is built as `kubectl kustomize` would; each resource keeps the file it came from
    for (const r of buildKustomization(dir)) {
      const parsed = parseKubeText(stringify(r.object, { version: '1.1' }), r.file);
      for (const res of parsed.resources) resources.push(res);
      for (const e of parsed.errors) errors.push(e);
    }
  }
  for (const file of files) {
    let bytes: Buffer;
    const name = file === '-' ? STDIN_NAME : file;
    try {
      bytes = file === '-' ? await readStream(options.stdin ?? process.stdin) : readManifest(file);
    } catch (err) {
      errors.push({
        analyzer: LOADER_NAME,
        path: name,
        message: err instanceof Error ? err.message : String(err),
      });
      continue;
    }
    const parsed = parseKubeBytes(bytes, name);
    for (const r of parsed.resources) resources.push(r);
    for (const e of parsed.errors) errors.push(e);
  }
  return { resources, errors };
}
