import type { Finding, ScanResult } from '../../core/index.js';
import { formatReference, type ImageReference, parseReference, RegistryClient } from '../../image/index.js';
import { scanImage, verifyImage } from '../../scan/index.js';
import { loadPolicy, type VerificationPolicy } from '../../trust/index.js';
import { TtlCache } from '../cache.js';
import { withinDeadline } from '../deadline.js';
import type { AdmissionPolicy } from '../policy/types.js';

/** An image reference pinned to the digest its tag resolved to (what was checked is what runs). */
export interface PinnedImage {
  readonly ref: ImageReference;
  readonly digest: string;
  /** `registry/repository@digest` */
  readonly pinned: string;
}

export interface ImageCheckOptions {
  /** plain HTTP and unverified TLS for registries (loopback ones are tried over HTTP anyway) */
  readonly insecure?: boolean;
  /** every registry failure that is not the review's own timeout (metrics) */
  readonly onRegistryError?: (err: unknown) => void;
  /** the vulnerability scan (tests); default `scanImage` with the vuln scanner */
  readonly scan?: (pinned: string, signal: AbortSignal) => Promise<ScanResult>;
  readonly now?: () => number;
}

/** How long a tag's digest is believed: tags move, so never longer than a minute. */
const TAG_TTL_MS = 60_000;
/** A scan that missed the review's deadline goes on filling the cache, up to this long. */
const BACKGROUND_SCAN_MS = 10 * 60_000;

/**
 * The image checks of one policy, with their per-digest caches: tag resolution, signature policy
 * (`strata verify --policy`) and the vulnerability scan (`strata image`), each bounded by the
 * review's deadline signal.
 */
export class ImageChecks {
  private readonly digests: TtlCache<string>;
  private readonly verdicts: TtlCache<readonly Finding[]>;
  private readonly scans: TtlCache<readonly Finding[]>;
  private readonly trust: VerificationPolicy | undefined;

  constructor(
    private readonly policy: AdmissionPolicy['images'],
    private readonly options: ImageCheckOptions = {},
  ) {
    const ttl = policy.cacheSeconds * 1000;
    this.digests = new TtlCache(Math.min(ttl, TAG_TTL_MS), 10_000, options.now);
    this.verdicts = new TtlCache(ttl, 10_000, options.now);
    this.scans = new TtlCache(ttl, 2_000, options.now);
    this.trust = policy.verification ? loadPolicy(policy.verification) : undefined;
  }

  /** True when a check needs the registry (pinning, signatures or vulnerabilities). */
  get needsRegistry(): boolean {
    return this.policy.pinDigests || this.trust !== undefined || this.policy.vulnerabilities !== undefined;
  }

  get verifies(): boolean {
    return this.trust !== undefined;
  }

  private async withClient<T>(signal: AbortSignal, use: (c: RegistryClient) => Promise<T>): Promise<T> {
    const client = new RegistryClient({ insecure: this.options.insecure ?? false, signal, retries: 1 });
    try {
      return await use(client);
    } catch (err) {
      if (!signal.aborted) this.options.onRegistryError?.(err);
      throw err;
    } finally {
      void client.close();
    }
  }

  /** The digest of an image: its own when pinned, else what the registry says its tag is now. */
  async resolve(image: string, signal: AbortSignal): Promise<PinnedImage> {
    const ref = parseReference(image);
    const pin = (digest: string): PinnedImage => ({
      ref,
      digest,
      pinned: formatReference({ registry: ref.registry, repository: ref.repository, digest }),
    });
    if (ref.digest) return pin(ref.digest);
    const key = formatReference(ref);
    const load = () =>
      this.withClient(signal, async (c) => {
        const d = await c.headManifest(ref);
        if (!d) throw new Error(`${key}: manifest unknown`);
        return d.digest;
      });
    return pin(await withinDeadline(this.digests.getOrLoad(key, load), signal, `resolving ${key}`));
  }

  /** The `strata verify --policy` findings of a pinned image (empty: allowed). */
  async verify(image: PinnedImage, signal: AbortSignal): Promise<readonly Finding[]> {
    const trust = this.trust;
    if (!trust) return [];
    const load = () =>
      this.withClient(signal, async (client) => {
        const verdict = await verifyImage(image.pinned, { kind: 'policy', policy: trust }, { client });
        return verdict.result.findings;
      });
    return withinDeadline(this.verdicts.getOrLoad(image.pinned, load), signal, `verifying ${image.pinned}`);
  }

  /** The `strata image` vulnerability findings of a pinned image; a scan that misses the deadline goes on in the background. */
  async vulnerabilities(image: PinnedImage, signal: AbortSignal): Promise<readonly Finding[]> {
    const gate = this.policy.vulnerabilities;
    if (!gate) return [];
    const load = async () => {
      const own = AbortSignal.timeout(BACKGROUND_SCAN_MS);
      try {
        const result = this.options.scan
          ? await this.options.scan(image.pinned, own)
          : await scanImage(image.pinned, {
              scanners: ['vuln'],
              ...(gate.db ? { db: gate.db } : {}),
              ...(this.options.insecure ? { insecure: true } : {}),
              signal: own,
            });
        return result.findings.filter((f) => f.kind === 'vulnerability');
      } catch (err) {
        this.options.onRegistryError?.(err);
        throw err;
      }
    };
    const pending = this.scans.getOrLoad(image.digest, load);
    pending.catch(() => undefined);
    return withinDeadline(pending, signal, `scanning ${image.pinned} for vulnerabilities`);
  }
}
