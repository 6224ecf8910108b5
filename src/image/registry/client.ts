import { pipeline, type Readable } from 'node:stream';
import { DigestError, digestOf, parseDigest, sha256, VerifyingStream } from '../../core/digest.js';
import { readInputFile } from '../../core/safe-read.js';
import {
  type BodyKind,
  discard,
  HttpClient,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  header,
  type RetryPolicy,
  readBody,
  TransportError,
} from '../../transport/index.js';
import { ImageError } from '../errors.js';
import { type Descriptor, MAX_MANIFEST_BYTES } from '../manifest.js';
import { MANIFEST_ACCEPT, MEDIA_TYPES } from '../media-types.js';
import { formatReference, type ImageReference, manifestReference, registryApiHost } from '../reference.js';
import type { RegistryOptions } from '../types.js';
import { Authenticator } from './auth.js';
import { type Credentials, dockerConfigPath, loadDockerConfig, lookupCredentials } from './docker-config.js';
import { type ResourceKind, responseError } from './response-error.js';
import { declaredMediaType, parseCatalog, parseReferrers, parseTagList } from './responses.js';
import { isLoopbackRegistry } from './scheme.js';
import { parseWwwAuthenticate, pickChallenge } from './www-authenticate.js';

/** A repository on a registry (an ImageReference without tag or digest is one). */
export interface RepositoryRef {
  readonly registry: string;
  readonly repository: string;
}

export interface ManifestResult {
  readonly bytes: Buffer;
  /** the digest of `bytes` (verified against the pinned digest or Docker-Content-Digest) */
  readonly digest: string;
  readonly mediaType: string;
}

export interface RegistryClientOptions
  extends Pick<
    RegistryOptions,
    'insecure' | 'dockerConfig' | 'username' | 'password' | 'retries' | 'timeoutMs' | 'signal' | 'caFile'
  > {
  /** retry timing (tests shorten it) */
  readonly retryPolicy?: Partial<RetryPolicy>;
  readonly userAgent?: string;
}

type Action = 'pull' | 'pull,push' | 'catalog';

interface Exchange {
  readonly method: HttpMethod;
  /** path below `/v2/<repository>/` (`/v2/` with `root`), or an absolute URL (upload locations, pagination) */
  readonly path: string | URL;
  readonly root?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  readonly signal?: AbortSignal;
  /** what the answer is (its size cap) */
  readonly kind: BodyKind;
}

const MAX_TAGS_PAGES = 1000;
const MAX_CATALOG_PAGES = 10_000;
/** transport failures that mean "no registry there" (an insecure registry is then tried over HTTP) */
const UNREACHABLE: ReadonlySet<string> = new Set(['UNREACHABLE', 'TLS', 'PROXY', 'CONNECT_TIMEOUT']);

/**
 * The TLS attempt reached a TLS server whose certificate was refused (self-signed, unknown CA,
 * wrong name): that server does not speak plain HTTP, so downgrading would only hide the cause.
 */
function speaksTls(err: ImageError): boolean {
  const cause = err.cause;
  return (
    cause instanceof TransportError &&
    cause.code === 'TLS' &&
    /CERT|SIGNATURE|ISSUER|ALTNAME|SELF_SIGNED/i.test(cause.message)
  );
}

/**
 * A client for the OCI distribution API (pull and push), no daemon involved. It authenticates
 * lazily from the registry's 401 challenge (anonymous, Basic, or Bearer token), retries 429/5xx
 * and connection resets with backoff, and verifies every digest it is given or told.
 */
export class RegistryClient {
  private readonly http: HttpClient;
  private readonly auth: Authenticator;
  private readonly schemes = new Map<string, 'https' | 'http'>();
  private readonly credentials = new Map<string, Credentials | undefined>();

  constructor(private readonly options: RegistryClientOptions = {}) {
    const ca = options.caFile ? readCa(options.caFile) : undefined;
    this.http = new HttpClient({
      tls: { insecureSkipVerify: options.insecure === true, ...(ca ? { extraCa: ca } : {}) },
      ...(options.timeoutMs ? { timeouts: { idleMs: options.timeoutMs } } : {}),
      retry: {
        ...options.retryPolicy,
        ...(options.retries !== undefined ? { retries: options.retries } : {}),
      },
      ...(options.signal ? { signal: options.signal } : {}),
      userAgent: options.userAgent ?? 'strata',
      limits: { manifest: MAX_MANIFEST_BYTES, index: MAX_MANIFEST_BYTES },
    });
    this.auth = new Authenticator(
      (registry) => this.credentialsFor(registry),
      (req) => this.call({ ...req, kind: 'token', retry: true }),
    );
  }

  /** Closes the client's connections. */
  close(): Promise<void> {
    return this.http.close();
  }

  /** GETs a manifest or index by tag or digest. */
  async getManifest(
    ref: ImageReference,
    accept: readonly string[] = MANIFEST_ACCEPT,
  ): Promise<ManifestResult> {
    const what = formatReference(ref);
    const res = await this.exchange(ref, 'pull', 'manifest', what, {
      method: 'GET',
      path: `manifests/${manifestReference(ref)}`,
      headers: { accept: accept.join(', ') },
      kind: 'manifest',
    });
    const bytes = await readBody(res);
    const expected = ref.digest ?? header(res, 'docker-content-digest');
    const digest = verifyManifestDigest(bytes, expected, what, ref.digest !== undefined);
    const contentType = header(res, 'content-type')?.split(';')[0]?.trim();
    return { bytes, digest, mediaType: contentType || declaredMediaType(bytes) };
  }

  /** HEAD of a manifest: its descriptor, or undefined when the registry does not have it. */
  async headManifest(
    ref: ImageReference,
    accept: readonly string[] = MANIFEST_ACCEPT,
  ): Promise<Descriptor | undefined> {
    const what = formatReference(ref);
    const res = await this.exchange(
      ref,
      'pull',
      'manifest',
      what,
      {
        method: 'HEAD',
        path: `manifests/${manifestReference(ref)}`,
        headers: { accept: accept.join(', ') },
        kind: 'manifest',
      },
      [404],
    );
    discard(res);
    if (res.status === 404) return undefined;
    const digest = ref.digest ?? header(res, 'docker-content-digest');
    if (!digest) throw new ImageError('REGISTRY_ERROR', `${what}: HEAD gave no Docker-Content-Digest`);
    return {
      mediaType: header(res, 'content-type')?.split(';')[0]?.trim() ?? '',
      digest,
      size: Number(header(res, 'content-length') ?? -1),
    };
  }

  /** Streams a blob; the stream errors (DIGEST_MISMATCH / SIZE_MISMATCH) when the bytes lie. */
  async getBlob(repo: RepositoryRef, digest: string, size?: number, signal?: AbortSignal): Promise<Readable> {
    const what = `${repo.registry}/${repo.repository}@${digest}`;
    parseDigest(digest);
    const res = await this.exchange(repo, 'pull', 'blob', what, {
      method: 'GET',
      path: `blobs/${digest}`,
      ...(signal ? { signal } : {}),
      kind: 'blob',
    });
    // pipeline: a failure on either side reaches the other, and the verifier keeps the error
    // (stream.errored) for a consumer that attaches later; the response is destroyed with it
    const verifier = new VerifyingStream(digest, `blob ${what}`, size);
    pipeline(res.body, verifier, () => undefined);
    return verifier;
  }

  /** Reads a small blob (a config) whole, verified. */
  async readBlob(repo: RepositoryRef, digest: string, maxBytes: number, size?: number): Promise<Buffer> {
    if (size !== undefined && size > maxBytes) {
      throw new ImageError(
        'TOO_LARGE',
        `${repo.registry}/${repo.repository}@${digest}: ${size} bytes is more than ${maxBytes}`,
      );
    }
    const stream = await this.getBlob(repo, digest, size);
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > maxBytes) {
          stream.destroy();
          throw new ImageError(
            'TOO_LARGE',
            `${repo.registry}/${repo.repository}@${digest}: more than ${maxBytes} bytes`,
          );
        }
        chunks.push(chunk);
      }
    } catch (err) {
      // a small blob read whole fails as an ImageError, like manifests do
      if (err instanceof DigestError) throw new ImageError('DIGEST_MISMATCH', err.message, { cause: err });
      throw err;
    }
    return Buffer.concat(chunks);
  }

  async blobExists(repo: RepositoryRef, digest: string): Promise<boolean> {
    const what = `${repo.registry}/${repo.repository}@${digest}`;
    const res = await this.exchange(
      repo,
      'pull',
      'blob',
      what,
      { method: 'HEAD', path: `blobs/${digest}`, kind: 'blob' },
      [404],
    );
    discard(res);
    return res.status !== 404;
  }

  /** Uploads a blob monolithically (POST, then PUT ?digest=); skips it when already present. */
  async putBlob(repo: RepositoryRef, data: Uint8Array): Promise<Descriptor> {
    const digest = sha256(data);
    const descriptor = { mediaType: 'application/octet-stream', digest, size: data.length };
    if (await this.blobExists(repo, digest)) return descriptor;
    const what = `${repo.registry}/${repo.repository}@${digest}`;
    const started = await this.exchange(repo, 'pull,push', 'upload', what, {
      method: 'POST',
      path: 'blobs/uploads/',
      kind: 'document',
    });
    discard(started);
    const location = header(started, 'location');
    if (started.status !== 202 || !location) {
      throw new ImageError(
        'REGISTRY_ERROR',
        `${what}: upload start answered ${started.status} without a Location`,
      );
    }
    const url = new URL(location, started.url);
    url.searchParams.set('digest', digest);
    const done = await this.exchange(repo, 'pull,push', 'upload', what, {
      method: 'PUT',
      path: url,
      headers: { 'content-type': 'application/octet-stream' },
      body: data,
      kind: 'document',
    });
    discard(done);
    return descriptor;
  }

  /** PUTs a manifest under a tag or its digest; returns its digest. */
  async putManifest(ref: ImageReference, bytes: Uint8Array, mediaType: string): Promise<string> {
    const digest = sha256(bytes);
    const target = ref.digest ?? ref.tag;
    if (!target)
      throw new ImageError('INVALID_REFERENCE', `${formatReference(ref)}: a tag or digest is needed to push`);
    if (ref.digest && ref.digest !== digest) {
      throw new ImageError(
        'DIGEST_MISMATCH',
        `${formatReference(ref)}: manifest bytes have digest ${digest}`,
      );
    }
    const what = formatReference(ref);
    const res = await this.exchange(ref, 'pull,push', 'manifest', what, {
      method: 'PUT',
      path: `manifests/${target}`,
      headers: { 'content-type': mediaType },
      body: bytes,
      kind: 'document',
    });
    discard(res);
    const told = header(res, 'docker-content-digest');
    if (told && told !== digest) {
      throw new ImageError(
        'DIGEST_MISMATCH',
        `${what}: registry stored the manifest as ${told}, expected ${digest}`,
      );
    }
    return digest;
  }

  /** All tags of a repository (following `Link` pagination), sorted. */
  async listTags(repo: RepositoryRef): Promise<string[]> {
    const what = `${repo.registry}/${repo.repository}`;
    const tags: string[] = [];
    let path: string | URL = 'tags/list';
    for (let page = 0; page < MAX_TAGS_PAGES; page++) {
      const res = await this.exchange(repo, 'pull', 'repository', what, {
        method: 'GET',
        path,
        kind: 'document',
      });
      for (const item of parseTagList(await readBody(res), `${what}: tags`)) tags.push(item);
      const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(header(res, 'link') ?? '')?.[1];
      if (!next) break;
      path = new URL(next, res.url);
    }
    return [...new Set(tags)].sort();
  }

  /**
   * The repositories a registry lists (`GET /v2/_catalog?n=PAGE`, following `Link` pagination),
   * sorted. Registries that do not offer the catalog answer 401/403/404: one clear error. More
   * than `max` names (a hostile or huge registry) is a TOO_LARGE error, before more pages are read.
   */
  async catalog(registry: string, pageSize = 100, max = 100_000): Promise<string[]> {
    const what = `${registry}/v2/_catalog`;
    const repositories: string[] = [];
    let path: string | URL = `_catalog?n=${pageSize}`;
    for (let page = 0; page < MAX_CATALOG_PAGES; page++) {
      const res = await this.exchange({ registry, repository: '' }, 'catalog', 'catalog', what, {
        method: 'GET',
        path,
        root: true,
        kind: 'document',
      });
      for (const item of parseCatalog(await readBody(res), what)) repositories.push(item);
      if (repositories.length > max)
        throw new ImageError('TOO_LARGE', `${what}: more than ${max} repositories listed`);
      const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(header(res, 'link') ?? '')?.[1];
      if (!next) break;
      path = new URL(next, res.url);
    }
    return [...new Set(repositories)].sort();
  }

  /**
   * The OCI 1.1 referrers of a manifest, optionally filtered by artifactType. Registries without
   * the referrers API (404) are asked for the fallback tag `<alg>-<hex>` instead, as the spec says.
   */
  async referrers(repo: RepositoryRef, digest: string, artifactType?: string): Promise<Descriptor[]> {
    const { algorithm, hex } = parseDigest(digest);
    const what = `${repo.registry}/${repo.repository}@${digest} referrers`;
    const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
    const res = await this.exchange(
      repo,
      'pull',
      'referrers',
      what,
      {
        method: 'GET',
        path: `referrers/${digest}${query}`,
        headers: { accept: MEDIA_TYPES.ociIndex },
        kind: 'index',
      },
      [404],
    );
    let bytes: Buffer;
    if (res.status === 404) {
      discard(res);
      const fallback = { ...repo, tag: `${algorithm}-${hex}` };
      const found = await this.headManifest(fallback, [MEDIA_TYPES.ociIndex]);
      if (!found) return [];
      bytes = (await this.getManifest(fallback, [MEDIA_TYPES.ociIndex])).bytes;
    } else {
      bytes = await readBody(res);
    }
    return parseReferrers(bytes, what).filter((d) => !artifactType || d.artifactType === artifactType);
  }

  /** One authenticated exchange: answers a 401 challenge once, maps failures to ImageError. */
  private async exchange(
    repo: RepositoryRef,
    action: Action,
    kind: ResourceKind,
    what: string,
    ex: Exchange,
    allowed: readonly number[] = [],
  ): Promise<HttpResponse> {
    const scope = action === 'catalog' ? 'registry:catalog:*' : `repository:${repo.repository}:${action}`;
    let authorization = await this.auth.authorize(repo.registry, scope);
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(repo, ex, authorization);
      if (res.status === 401 && attempt === 0) {
        const challenge = pickChallenge(parseWwwAuthenticate(header(res, 'www-authenticate') ?? ''));
        if (challenge) {
          discard(res);
          const wanted = action === 'pull,push' ? (challenge.params.scope ?? scope) : scope;
          authorization = await this.auth.onChallenge(repo.registry, challenge, wanted, what);
          continue;
        }
      }
      if ((res.status >= 200 && res.status < 300) || allowed.includes(res.status)) return res;
      throw await responseError(res, kind, what);
    }
  }

  private async send(
    repo: RepositoryRef,
    ex: Exchange,
    authorization: string | undefined,
  ): Promise<HttpResponse> {
    const { registry } = repo;
    // an absolute URL (upload Location, next page) on another host never gets our credentials
    const foreign = typeof ex.path !== 'string' && ex.path.host !== registryApiHost(registry);
    const auth: Record<string, string> = authorization && !foreign ? { authorization } : {};
    const headers = { ...ex.headers, ...auth };
    const build = (scheme: string): HttpRequest => ({
      method: ex.method,
      url:
        typeof ex.path === 'string'
          ? new URL(
              `${scheme}://${registryApiHost(registry)}/v2/${ex.root ? '' : `${repo.repository}/`}${ex.path}`,
            )
          : ex.path,
      headers,
      kind: ex.kind,
      // the registry's semantics: every request is retried on 408/429/5xx and broken connections
      retry: true,
      ...(ex.body ? { body: ex.body } : {}),
      ...(ex.signal ? { signal: ex.signal } : {}),
    });
    const known = this.schemes.get(registry);
    const mayDowngrade = this.options.insecure === true || isLoopbackRegistry(registry);
    if (known || !mayDowngrade) return this.call(build(known ?? 'https'));
    // insecure or loopback: try TLS first, fall back to plain HTTP when TLS does not connect
    try {
      const res = await this.call(build('https'));
      this.schemes.set(registry, 'https');
      return res;
    } catch (err) {
      if (!(err instanceof ImageError) || err.code !== 'UNREACHABLE' || speaksTls(err)) throw err;
      const res = await this.call(build('http')).catch((httpErr: unknown) => {
        // nothing over HTTP either: the TLS failure is the more useful message
        throw httpErr instanceof ImageError && httpErr.code === 'UNREACHABLE' ? err : httpErr;
      });
      this.schemes.set(registry, 'http');
      return res;
    }
  }

  /** One transport operation; "nothing answers there" becomes the registry's UNREACHABLE. */
  private async call(req: HttpRequest): Promise<HttpResponse> {
    try {
      return await this.http.request(req);
    } catch (err) {
      if (err instanceof TransportError && UNREACHABLE.has(err.code)) {
        const hint =
          err.code === 'TLS'
            ? ' (TLS failed: use --insecure for a self-signed registry, or trust its CA)'
            : '';
        throw new ImageError('UNREACHABLE', `cannot reach ${req.url.host}${hint}: ${err.message}`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  private credentialsFor(registry: string): Credentials | undefined {
    if (this.options.username !== undefined) {
      return { username: this.options.username, password: this.options.password ?? '' };
    }
    if (!this.credentials.has(registry)) {
      const config = loadDockerConfig(this.options.dockerConfig ?? dockerConfigPath());
      this.credentials.set(registry, config ? lookupCredentials(config, registry) : undefined);
    }
    return this.credentials.get(registry);
  }
}

function readCa(path: string): Buffer {
  try {
    return readInputFile(path, { kind: 'ca-cert' });
  } catch (cause) {
    throw new ImageError('UNREACHABLE', `${path}: cannot read the CA file`, { cause });
  }
}

function verifyManifestDigest(
  bytes: Buffer,
  expected: string | undefined,
  what: string,
  pinned: boolean,
): string {
  if (!expected) return sha256(bytes);
  let algorithm: string;
  try {
    algorithm = parseDigest(expected).algorithm;
  } catch (cause) {
    if (pinned) throw cause;
    return sha256(bytes); // an unparseable Docker-Content-Digest is advisory only
  }
  const actual = digestOf(algorithm, bytes);
  if (actual !== expected) {
    throw new ImageError(
      'DIGEST_MISMATCH',
      `${what}: manifest content has digest ${actual} but ${pinned ? 'the reference pins' : 'the registry announced'} ${expected}`,
    );
  }
  return actual;
}
