import { isDigest } from '../core/digest.js';
import { ImageError } from './errors.js';

/** A registry image reference, normalised the way Docker does (`alpine` -> `docker.io/library/alpine:latest`). */
export interface ImageReference {
  /** the registry host as users name it (`docker.io`, `ghcr.io`, `127.0.0.1:5000`) */
  readonly registry: string;
  /** the repository path without the registry (`library/alpine`) */
  readonly repository: string;
  /** the tag; `latest` when neither tag nor digest was given */
  readonly tag?: string;
  readonly digest?: string;
}

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

// The docker/distribution reference grammar (reference/regexp.go), written out.
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|${IPV6})(?::[0-9]+)?`;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$/;
const PATH = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const MAX_NAME_LENGTH = 255;

function invalid(text: string, why: string): ImageError {
  return new ImageError('INVALID_REFERENCE', `invalid image reference "${text.slice(0, 300)}": ${why}`);
}

/** The parts of `[registry/]repository[:tag][@digest]` as written: split, neither checked nor normalised. */
export interface ReferenceParts {
  /** everything before the tag and digest (`ghcr.io/org/app`, `nginx`) */
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
  /** the registry, when the first component names one (as Docker's splitDockerDomain decides) */
  readonly domain?: string;
  /** the name without its registry */
  readonly path: string;
}

/**
 * Splits a reference the way Docker does, without validating it: the digest follows the first
 * `@`, the tag the last `:` after the last `/`, and the first component is a registry when it
 * has a `.` or a `:`, is `localhost`, or has an upper-case letter. The one splitter for image
 * references (Dockerfile FROM, Kubernetes container images, CLI references).
 */
export function splitReference(text: string): ReferenceParts {
  const at = text.indexOf('@');
  const digest = at === -1 ? undefined : text.slice(at + 1);
  const rest = at === -1 ? text : text.slice(0, at);
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > rest.lastIndexOf('/');
  const name = hasTag ? rest.slice(0, colon) : rest;
  const tag = hasTag ? rest.slice(colon + 1) : undefined;
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const isDomain =
    slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  return {
    name,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    ...(isDomain ? { domain: first } : {}),
    path: isDomain ? name.slice(slash + 1) : name,
  };
}

/** Parses a Docker/OCI image reference: `[registry/]repository[:tag][@digest]`. */
export function parseReference(text: string): ImageReference {
  const input = text.trim();
  if (input === '') throw invalid(text, 'empty');
  const parts = splitReference(input);
  const { digest, tag, name: rest } = parts;
  if (digest !== undefined) {
    if (!DIGEST.test(digest)) throw invalid(text, `bad digest "${digest.slice(0, 100)}"`);
    if (!isDigest(digest)) throw invalid(text, `unsupported digest "${digest.slice(0, 100)}"`);
  }
  if (tag !== undefined && !TAG.test(tag)) throw invalid(text, `bad tag "${tag.slice(0, 140)}"`);
  if (rest.length > MAX_NAME_LENGTH) throw invalid(text, `name longer than ${MAX_NAME_LENGTH} characters`);
  const { domain = DOCKER_HUB, path } = parts;
  if (!DOMAIN_RE.test(domain)) throw invalid(text, `bad registry "${domain}"`);
  if (path.toLowerCase() !== path) throw invalid(text, 'repository names must be lowercase');
  if (!PATH.test(path)) throw invalid(text, `bad repository "${path}"`);
  const registry = DOCKER_HUB_ALIASES.has(domain) ? DOCKER_HUB : domain;
  const repository = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
  const defaultTag = tag === undefined && digest === undefined ? 'latest' : tag;
  return {
    registry,
    repository,
    ...(defaultTag !== undefined ? { tag: defaultTag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** The canonical string form: `registry/repository[:tag][@digest]`. */
export function formatReference(ref: ImageReference): string {
  const tag = ref.tag !== undefined ? `:${ref.tag}` : '';
  const digest = ref.digest !== undefined ? `@${ref.digest}` : '';
  return `${ref.registry}/${ref.repository}${tag}${digest}`;
}

/** What to ask the registry for: the digest when pinned, else the tag. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** True when `text` parses as a reference (used to tell references from missing paths). */
export function isReference(text: string): boolean {
  try {
    parseReference(text);
    return true;
  } catch {
    return false;
  }
}

/** The host the distribution API is served from (Docker Hub's API host differs from its name). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}
