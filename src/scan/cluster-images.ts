import type { SecretConfig } from '../analyzers/index.js';
import {
  describeError,
  exposureFinding,
  type Finding,
  type ScanError,
  type ScanResult,
  StrataError,
} from '../core/index.js';
import {
  type Credentials,
  formatReference,
  type ImageReference,
  type LayerCache,
  lookupCredentials,
  type Platform,
  parseReference,
  RegistryClient,
} from '../image/index.js';
import { type ImageUse, type KubeResource, type PullSecretReader, workloadImages } from '../kube/index.js';
import { scanImage } from './image.js';
import type { ProgressOptions } from './progress.js';
import type { Scanner } from './scanners.js';

/** `strata k8s --scan-images`: how the images the workloads run are scanned. */
export interface ClusterImageOptions extends ProgressOptions {
  /** `--scanners` for the images (default vuln, secret) */
  readonly scanners: readonly Scanner[];
  /** images scanned at once (default 3) */
  readonly concurrency?: number;
  /** one image's scan, pull included (default 5 minutes) */
  readonly imageTimeoutMs?: number;
  /** distinct images scanned at most; the rest are reported as not scanned (default 1000) */
  readonly maxImages?: number;
  readonly insecure?: boolean;
  readonly platform?: Platform;
  readonly db?: string;
  readonly secretConfig?: SecretConfig;
  /** the user's docker config (default `$DOCKER_CONFIG/config.json`, `~/.docker/config.json`) */
  readonly dockerConfig?: string;
  /** credentials to try when no pull secret has any for the registry (the server's credential store) */
  readonly credentialFor?: (registry: string) => Promise<Credentials | undefined>;
  /** a stored result of this digest to use instead of pulling it (the server's cluster watches) */
  readonly reuse?: (digest: string) => Promise<ScanResult | undefined>;
  /** told of each image pulled and scanned (the server keeps its inventory for re-matching) */
  readonly onImageResult?: (reference: string, digest: string, result: ScanResult) => Promise<void>;
  /** analysed layers by diffID: images sharing base layers read them once (the server's store) */
  readonly layerCache?: LayerCache;
  readonly signal?: AbortSignal;
}

/** What became of one distinct image. */
export interface ClusterImage {
  /** the reference scanned: `registry/repository[:tag]` normalised, or `@digest` when a pod reports one */
  readonly reference: string;
  /** the manifest (or index) digest the reference resolved to */
  readonly digest?: string;
  readonly status: 'scanned' | 'reused' | 'failed' | 'skipped';
  readonly error?: string;
  /** where the credentials came from: `pull-secret NS/NAME`, `credential-store`, `docker-config` */
  readonly credentials?: string;
  readonly findings: number;
  readonly workloads: readonly {
    readonly resource: string;
    readonly container: string;
    readonly image: string;
  }[];
}

export interface ClusterImageScan {
  readonly findings: Finding[];
  readonly errors: ScanError[];
  readonly images: ClusterImage[];
}

export const IMAGES_ANALYZER = 'kube/images';
const DEFAULT_CONCURRENCY = 3;
const DEFAULT_IMAGE_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_MAX_IMAGES = 1000;

interface Group {
  readonly key: string;
  readonly ref?: ImageReference;
  readonly invalid?: string;
  readonly uses: ImageUse[];
}

type Outcome =
  | {
      readonly type: 'ok';
      readonly digest: string;
      readonly result: ScanResult;
      readonly reused: boolean;
      readonly credentials: string;
    }
  | {
      readonly type: 'failed';
      readonly digest?: string;
      readonly error: string;
      readonly credentials?: string;
    };

/** Groups the uses by the image they pull: the normalised reference, pinned to a running digest when known. */
function groupUses(uses: readonly ImageUse[]): Group[] {
  const groups = new Map<string, Group>();
  for (const use of uses) {
    let key: string;
    let ref: ImageReference | undefined;
    let invalid: string | undefined;
    try {
      const parsed = parseReference(use.image);
      ref = use.runningDigest ? { ...parsed, digest: use.runningDigest } : parsed;
      key = formatReference(ref);
    } catch (err) {
      key = use.image;
      invalid = describeError(err);
    }
    const g = groups.get(key) ?? { key, ...(ref ? { ref } : {}), ...(invalid ? { invalid } : {}), uses: [] };
    g.uses.push(use);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Runs `task` over `items`, `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

interface Login {
  readonly source: string;
  readonly credentials?: Credentials;
}

/**
 * The logins to try for an image, in order: the pull secrets of the workloads that run it (pod
 * spec, then service account) that hold an entry for its registry, the credential store, then the
 * user's docker config (no explicit credentials). Unreadable secrets are a warning, not a failure.
 */
async function loginsFor(
  group: Group,
  registry: string,
  secrets: PullSecretReader | undefined,
  options: ClusterImageOptions,
  warned: Set<string>,
): Promise<Login[]> {
  const logins: Login[] = [];
  const seen = new Set<string>();
  for (const use of group.uses) {
    if (!secrets || !use.namespace) continue;
    for (const name of use.pullSecrets) {
      const secret = await secrets.read(use.namespace, name);
      if (!secret.ok) {
        if (!warned.has(secret.name)) {
          warned.add(secret.name);
          options.onWarning?.(
            `imagePullSecret ${secret.name} not used: ${secret.reason}; its images are pulled with your docker config`,
          );
        }
        continue;
      }
      if (seen.has(secret.name)) continue;
      seen.add(secret.name);
      const config = {
        path: `imagePullSecret ${secret.name}`,
        auths: Object.fromEntries(secret.auths.map(({ key, ...entry }) => [key, entry])),
        credHelpers: {},
      };
      const found = lookupCredentials(config, registry);
      if (found) logins.push({ source: `pull-secret ${secret.name}`, credentials: found });
    }
  }
  const stored = await options.credentialFor?.(registry);
  if (stored) logins.push({ source: 'credential-store', credentials: stored });
  logins.push({ source: options.dockerConfig ? `docker-config ${options.dockerConfig}` : 'docker-config' });
  return logins;
}

function registryOptions(login: Login, options: ClusterImageOptions, signal: AbortSignal) {
  const c = login.credentials;
  return {
    signal,
    ...(options.insecure ? { insecure: true } : {}),
    ...(options.dockerConfig ? { dockerConfig: options.dockerConfig } : {}),
    ...(c ? { username: c.username, password: c.password } : {}),
  };
}

const unauthorized = (err: unknown) =>
  err instanceof StrataError && (err.code === 'UNAUTHORIZED' || err.code === 'DENIED');

/** The digest a reference names now, with the first login the registry accepts. */
async function resolveDigest(
  ref: ImageReference,
  logins: readonly Login[],
  options: ClusterImageOptions,
  signal: AbortSignal,
): Promise<{ digest: string; login: Login }> {
  let last: unknown;
  for (const login of logins) {
    try {
      const client = new RegistryClient(registryOptions(login, options, signal));
      // HEAD first (no body; Docker Hub does not count it as a pull), GET when HEAD is not answered
      const head = await client.headManifest(ref).catch((err: unknown) => {
        if (unauthorized(err)) throw err;
        return undefined;
      });
      const digest = head?.digest ?? (await client.getManifest(ref)).digest;
      return { digest, login };
    } catch (err) {
      last = err;
      if (!unauthorized(err)) throw err;
    }
  }
  throw last;
}

/** Scans the images a cluster's workloads run and attributes their findings to those workloads. */
export async function scanClusterImages(
  resources: readonly KubeResource[],
  secrets: PullSecretReader | undefined,
  options: ClusterImageOptions,
): Promise<ClusterImageScan> {
  const groups = groupUses(workloadImages(resources));
  const max = options.maxImages ?? DEFAULT_MAX_IMAGES;
  const outcomes = new Map<string, Outcome>();
  const byDigest = new Map<string, Promise<Outcome>>();
  const warned = new Set<string>();
  let done = 0;

  const scanDigest = async (
    ref: ImageReference,
    digest: string,
    login: Login,
    signal: AbortSignal,
  ): Promise<Outcome> => {
    const reused = await options.reuse?.(digest);
    if (reused) return { type: 'ok', digest, result: reused, reused: true, credentials: login.source };
    const pinned = formatReference({ registry: ref.registry, repository: ref.repository, digest });
    try {
      const result = await scanImage(pinned, {
        ...registryOptions(login, options, signal),
        scanners: options.scanners,
        imageSources: ['remote'],
        ...(options.platform ? { platform: options.platform } : {}),
        ...(options.db ? { db: options.db } : {}),
        ...(options.secretConfig ? { secretConfig: options.secretConfig } : {}),
        ...(options.onDebug ? { onDebug: options.onDebug } : {}),
        ...(options.layerCache ? { layerCache: options.layerCache } : {}),
      });
      await options.onImageResult?.(pinned, digest, result).catch((err: unknown) => {
        options.onWarning?.(`${pinned}: scanned, but its result was not kept: ${describeError(err)}`);
      });
      return { type: 'ok', digest, result, reused: false, credentials: login.source };
    } catch (err) {
      return { type: 'failed', digest, error: describeError(err), credentials: login.source };
    }
  };

  const scanGroup = async (group: Group): Promise<void> => {
    const ref = group.ref;
    if (!ref) {
      outcomes.set(group.key, { type: 'failed', error: group.invalid ?? 'invalid image reference' });
      return;
    }
    const timeout = AbortSignal.timeout(options.imageTimeoutMs ?? DEFAULT_IMAGE_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let outcome: Outcome;
    try {
      const logins = await loginsFor(group, ref.registry, secrets, options, warned);
      const { digest, login } = await resolveDigest(ref, logins, options, signal);
      let pending = byDigest.get(digest);
      if (!pending) {
        pending = scanDigest(ref, digest, login, signal);
        byDigest.set(digest, pending);
      }
      outcome = await pending;
    } catch (err) {
      outcome = { type: 'failed', error: describeError(err) };
    }
    if (timeout.aborted && outcome.type === 'failed' && !options.signal?.aborted) {
      outcome = {
        ...outcome,
        error: `gave up after ${(options.imageTimeoutMs ?? DEFAULT_IMAGE_TIMEOUT_MS) / 1000} s (--image-timeout): ${outcome.error}`,
      };
    }
    outcomes.set(group.key, outcome);
    done += 1;
    options.onProgress?.(
      `k8s images: ${done}/${Math.min(groups.length, max)} ${group.key}: ${outcome.type === 'ok' ? `${outcome.result.findings.length} findings${outcome.reused ? ' (stored result)' : ''}` : `failed: ${outcome.error}`}`,
    );
  };

  await pool(groups.slice(0, max), options.concurrency ?? DEFAULT_CONCURRENCY, scanGroup);
  if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
  return attribute(groups, outcomes, max);
}

/** `REF@sha256:...`: the image as the workload names it, pinned to what was scanned. */
function pinnedName(image: string, digest: string | undefined): string {
  return digest && !image.includes('@') ? `${image}@${digest}` : image;
}

function failureFinding(use: ImageUse, image: string, reason: string): Finding {
  return exposureFinding({
    id: 'STRATA-K8S-IMAGE-SCAN-FAILED',
    severity: 'UNKNOWN',
    title: `image ${image} of container ${use.container} was not scanned: ${reason}`,
    description:
      'The image this container runs could not be scanned, so its vulnerabilities and secrets are unknown. This is not "no findings".',
    location: { resource: use.resource, container: use.container, image },
    evidence: { request: `scan ${image}`, reason: 'image-scan-failed', message: reason },
  });
}

function attribute(
  groups: readonly Group[],
  outcomes: ReadonlyMap<string, Outcome>,
  max: number,
): ClusterImageScan {
  const findings: Finding[] = [];
  const errors: ScanError[] = [];
  const images: ClusterImage[] = [];
  const attached = new Set<string>();
  groups.forEach((group, index) => {
    const outcome: Outcome = outcomes.get(group.key) ?? {
      type: 'failed',
      error: index >= max ? `not scanned: more than ${max} distinct images (--max-images)` : 'not scanned',
    };
    const workloads = group.uses.map((u) => ({
      resource: u.resource,
      container: u.container,
      image: u.image,
    }));
    const skipped = index >= max;
    if (outcome.type === 'failed') {
      const names = [...new Set(group.uses.map((u) => `${u.resource} (${u.container})`))];
      errors.push({
        analyzer: IMAGES_ANALYZER,
        path: group.key,
        message: `${group.key}: ${outcome.error}; run by ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`,
      });
      for (const use of group.uses) {
        const key = `${use.resource}|${use.container}|${group.key}`;
        if (attached.has(key)) continue;
        attached.add(key);
        findings.push(failureFinding(use, pinnedName(use.image, outcome.digest), outcome.error));
      }
      images.push({
        reference: group.key,
        ...(outcome.digest ? { digest: outcome.digest } : {}),
        status: skipped ? 'skipped' : 'failed',
        error: outcome.error,
        ...(outcome.credentials ? { credentials: outcome.credentials } : {}),
        findings: 0,
        workloads,
      });
      return;
    }
    const { result, digest } = outcome;
    for (const e of result.errors) {
      errors.push({ ...e, path: `${group.key}${e.path ? `: ${e.path}` : ''}` });
    }
    for (const use of group.uses) {
      // a Pod reporting the digest its Deployment's tag resolved to is the same image: attach once
      const key = `${use.resource}|${use.container}|${digest}`;
      if (attached.has(key)) continue;
      attached.add(key);
      const image = pinnedName(use.image, digest);
      for (const f of result.findings) {
        findings.push({
          ...f,
          location: { ...f.location, resource: use.resource, container: use.container, image },
        });
      }
    }
    images.push({
      reference: group.key,
      digest,
      status: outcome.reused ? 'reused' : 'scanned',
      credentials: outcome.credentials,
      findings: result.findings.length,
      workloads,
    });
  });
  return { findings, errors, images };
}

export class ClusterImagesError extends StrataError<'NO_IMAGE_SCANNED'> {}

/**
 * `strata k8s --scan-images` where images were found but none could be scanned: not "no
 * vulnerabilities" but no answer (the result is still written; the CLI exits 2, as `probe` does).
 */
export function noImageScanned(result: ScanResult): ClusterImagesError | undefined {
  const cluster = result.metadata?.cluster as { images?: readonly ClusterImage[] } | undefined;
  const images = cluster?.images;
  if (!images || images.length === 0 || images.some((i) => i.status === 'scanned' || i.status === 'reused'))
    return undefined;
  const first = images[0]!;
  return new ClusterImagesError(
    'NO_IMAGE_SCANNED',
    `k8s --scan-images: none of the ${images.length} images could be scanned (${first.reference}: ${first.error ?? 'failed'})`,
  );
}
