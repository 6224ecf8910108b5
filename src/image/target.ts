import { closeSync, constants, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { sniffCompression } from './archive/compression.js';
import { looksLikeTar, TarIndex } from './archive/tar-index.js';
import type { EngineName } from './engine/sources.js';
import { ImageError } from './errors.js';
import { parseReference } from './reference.js';
import type { ImageTarget } from './types.js';

const PREFIXES = [
  'docker-archive:',
  'oci-archive:',
  'oci:',
  'dir:',
  'docker://',
  'docker:',
  'podman:',
  'containerd:',
] as const;

function head(path: string, n: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw new ImageError('INVALID_ARCHIVE', `${path}: not a regular file`);
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** Rejects compressed archives with a hint, before anything tries to read them as tar. */
export function assertUncompressedArchive(path: string, what: string): void {
  const compression = sniffCompression(head(path, 8));
  if (compression) {
    throw new ImageError(
      'INVALID_ARCHIVE',
      `${what}: the archive is ${compression}-compressed; decompress it first (archives are read in place)`,
    );
  }
}

/** Tells what a path on disk holds, by its content. */
export function detectPath(path: string): ImageTarget {
  const st = statSync(path);
  if (st.isDirectory()) {
    const isLayout = existsSync(join(path, 'index.json')) && existsSync(join(path, 'oci-layout'));
    return isLayout ? { kind: 'oci', dir: path } : { kind: 'dir', root: path };
  }
  if (!st.isFile()) {
    throw new ImageError(
      'INVALID_ARCHIVE',
      `${path}: neither a directory nor a regular file (an image archive)`,
    );
  }
  assertUncompressedArchive(path, path);
  if (!looksLikeTar(head(path, 512))) {
    throw new ImageError('INVALID_ARCHIVE', `${path}: neither a directory nor a tar archive of an image`);
  }
  const index = TarIndex.open(path);
  if (index.get('manifest.json')) return { kind: 'docker-archive', path };
  if (index.get('index.json') || index.get('oci-layout')) return { kind: 'oci-archive', path };
  throw new ImageError(
    'INVALID_ARCHIVE',
    `${path}: a tar archive without manifest.json (docker-archive) or index.json (oci-archive)`,
  );
}

/** `PATH[:tag]`: the whole text when it exists, else split at the last colon. */
function splitTag(rest: string): { path: string; tag?: string } {
  if (existsSync(rest)) return { path: rest };
  const colon = rest.lastIndexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return { path: rest };
  return { path: rest.slice(0, colon), tag: rest.slice(colon + 1) };
}

function requirePath(path: string, text: string): string {
  if (path === '') throw new UsageError('INVALID_ARGUMENT', `"${text}": a path is needed after the prefix`);
  return path;
}

const LOOKS_LIKE_PATH = /^(?:\/|\.\.?\/|~)|\.(?:tar|tgz|tar\.gz|tar\.zst)$/;

/**
 * Parses an image target as the CLI takes it: `docker-archive:PATH`, `oci:DIR[:tag]`,
 * `oci-archive:PATH[:tag]`, `dir:PATH`, `docker://REF`, a registry reference, or a bare path
 * recognised by its content. An existing path wins over a reference of the same spelling.
 */
export function parseImageTarget(text: string): ImageTarget {
  if (text.startsWith('sbom:')) {
    // read by scan/sbom-in before an image is opened; anywhere else it would pass for docker.io/library/sbom
    throw new UsageError(
      'INVALID_ARGUMENT',
      `"${text}" is an SBOM, not an image (only strata image and strata sbom read it)`,
    );
  }
  const prefix = PREFIXES.find((p) => text.startsWith(p));
  const rest = prefix ? text.slice(prefix.length) : text;
  switch (prefix) {
    case 'docker-archive:':
      return { kind: 'docker-archive', path: requirePath(rest, text) };
    case 'oci-archive:': {
      const { path, tag } = splitTag(requirePath(rest, text));
      return { kind: 'oci-archive', path, ...(tag ? { tag } : {}) };
    }
    case 'oci:': {
      const { path, tag } = splitTag(requirePath(rest, text));
      return { kind: 'oci', dir: path, ...(tag ? { tag } : {}) };
    }
    case 'dir:':
      return { kind: 'dir', root: requirePath(rest, text) };
    case 'docker://':
      parseReference(rest);
      return { kind: 'registry', reference: rest, remoteOnly: true };
    case 'docker:':
    case 'podman:':
    case 'containerd:':
      if (rest.trim() === '')
        throw new UsageError('INVALID_ARGUMENT', `"${text}": an image name is needed after the prefix`);
      return { kind: 'engine', engine: prefix.slice(0, -1) as EngineName, name: rest };
    case undefined:
      break;
  }
  if (text.trim() === '') throw new UsageError('INVALID_ARGUMENT', 'image target is empty');
  if (existsSync(text)) return detectPath(text);
  if (LOOKS_LIKE_PATH.test(text))
    throw new UsageError('FILE_NOT_FOUND', `${text}: no such file or directory`);
  try {
    parseReference(text);
  } catch (cause) {
    throw new UsageError(
      'INVALID_ARGUMENT',
      `"${text}" is neither an existing path nor a valid image reference`,
      { cause },
    );
  }
  return { kind: 'registry', reference: text };
}
