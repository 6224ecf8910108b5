import { readInputFile } from '../../core/safe-read.js';
import type { ScanError } from '../../core/types.js';
import { KubeLoadError } from './errors.js';
import { collectFiles } from './files.js';
import { parseKubeBytes } from './parse.js';
import { type KubeResource, LOADER_NAME, type LoadOptions, type LoadResult } from './types.js';

/**
 * Largest manifest file (or stdin) read; beyond it the input is an error, not an out-of-memory.
 * The file's bytes are split into documents before parsing and each is capped on its own
 * (`MAX_DOCUMENT_BYTES`), so what stays in memory is the resources, not the file: the cap is the
 * one every manifest input shares, files and stdin alike.
 */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** The name findings carry for resources read from stdin. */
export const STDIN_NAME = 'stdin';

/** Reads a stream whole, up to `limit` bytes; beyond it a `TOO_LARGE` error (the rest is not read). */
export async function readStream(stream: NodeJS.ReadableStream, limit = MAX_MANIFEST_BYTES): Promise<Buffer> {
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
  return readInputFile(file, { kind: 'manifest', maxBytes: MAX_MANIFEST_BYTES });
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
