import { readInputText } from '../../core/safe-read.js';
import type { ScanError } from '../../core/types.js';
import { KubeLoadError } from './errors.js';
import { collectFiles } from './files.js';
import { parseKubeText } from './parse.js';
import { type KubeResource, LOADER_NAME, type LoadOptions, type LoadResult } from './types.js';

/**
 * Largest manifest file (or stdin) read; beyond it the input is an error, not an out-of-memory.
 * The YAML library holds about thirty times the text while it composes a document (a 32 MiB
 * document exhausts a 512 MiB heap, a 50 MB one ran for minutes), so the cap is 16 MiB: several
 * times the largest real bundles (rendered charts, CRD sets), one clear error beyond.
 */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** The name findings carry for resources read from stdin. */
export const STDIN_NAME = 'stdin';

export async function readStream(stream: NodeJS.ReadableStream, limit = MAX_MANIFEST_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > limit) throw new KubeLoadError('TOO_LARGE', `stdin: larger than ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readManifest(file: string): string {
  return readInputText(file, { kind: 'manifest', maxBytes: MAX_MANIFEST_BYTES });
}

/**
 * Loads Kubernetes resources from files, directories (recursive, `*.yaml|*.yml|*.json`) and `-`
 * (stdin). A file that cannot be read, or a document that does not parse, becomes an entry in
 * `errors` and the rest is still loaded. Inputs that do not exist are user errors (thrown).
 */
export async function loadKubeResources(
  inputs: readonly string[],
  options: LoadOptions = {},
): Promise<LoadResult> {
  const { files, errors: skipped } = await collectFiles(inputs);
  const resources: KubeResource[] = [];
  const errors: ScanError[] = [...skipped];
  for (const file of files) {
    let text: string;
    const name = file === '-' ? STDIN_NAME : file;
    try {
      text = file === '-' ? await readStream(options.stdin ?? process.stdin) : readManifest(file);
    } catch (err) {
      errors.push({
        analyzer: LOADER_NAME,
        path: name,
        message: err instanceof Error ? err.message : String(err),
      });
      continue;
    }
    const parsed = parseKubeText(text, name);
    for (const r of parsed.resources) resources.push(r);
    for (const e of parsed.errors) errors.push(e);
  }
  return { resources, errors };
}
