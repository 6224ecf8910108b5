import { errorMessage, type Finding } from '../../core/index.js';
import { type KubeResource, podTemplateOf, resourceRef, visitContainers } from '../../kube/index.js';
import { AdmissionError } from '../errors.js';
import { imageExemption, type Requester } from '../exemptions.js';
import { atLeast, registryFinding } from '../findings.js';
import type { Judged } from '../judge.js';
import type { AdmissionPolicy } from '../policy/types.js';
import type { ImageChecks, PinnedImage } from './checks.js';
import { registryAllowed } from './registries.js';

/** A JSON Patch operation (RFC 6902) of the mutating webhook. */
export interface PatchOp {
  readonly op: 'replace';
  readonly path: string;
  readonly value: string;
}

/** A check that could not finish: the answer follows failurePolicy. */
export interface Incomplete {
  readonly what: string;
  readonly why: string;
  readonly timeout: boolean;
}

export interface ImageJudgement {
  readonly judged: Judged[];
  readonly incomplete: Incomplete[];
  readonly patch: PatchOp[];
  readonly exempted: string[];
}

interface ContainerImage {
  readonly image: string;
  /** JSON pointer of the `image` field */
  readonly pointer: string;
  readonly field: string;
}

function pointer(path: readonly (string | number)[]): string {
  return `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

function containerImages(resource: KubeResource): ContainerImage[] {
  const template = podTemplateOf(resource);
  if (!template) return [];
  return visitContainers(template.spec)
    .filter((c) => typeof c.container.image === 'string' && c.container.image !== '')
    .map((c) => {
      const path = [...template.specPath, ...c.path, 'image'];
      return { image: c.container.image as string, pointer: pointer(path), field: path.join('.') };
    });
}

function incompleteOf(what: string, err: unknown, signal: AbortSignal): Incomplete {
  const timeout = signal.aborted || (err instanceof AdmissionError && err.code === 'TIMEOUT');
  return { what, why: timeout ? 'timed out' : errorMessage(err), timeout };
}

/** Registry calls of one review in flight at once (a pod with thousands of images must not open thousands). */
const CONCURRENCY = 8;

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

/** Registries, digests, signatures and vulnerabilities of every image the object runs. */
export async function judgeImages(
  resource: KubeResource,
  who: Requester,
  policy: AdmissionPolicy,
  checks: ImageChecks,
  signal: AbortSignal,
  mutate: boolean,
): Promise<ImageJudgement> {
  const out: ImageJudgement = { judged: [], incomplete: [], patch: [], exempted: [] };
  const ref = resourceRef(resource);
  const allowed = policy.images.allowedRegistries;
  const exemptions = policy.exemptions;
  const images = containerImages(resource);
  const pinned = new Map<string, Promise<PinnedImage>>();
  await inBatches(images, async (c) => {
    if (imageExemption(exemptions, who, c.image)) {
      out.exempted.push(c.image);
      return;
    }
    if (!mutate && allowed && !registryAllowed(c.image, allowed)) {
      out.judged.push({ finding: registryFinding(ref, c.field, c.image, allowed), channel: 'deny' });
      return;
    }
    const wantsDigest = mutate ? policy.images.pinDigests : checks.verifies || policy.images.vulnerabilities;
    if (!wantsDigest) return;
    let p = pinned.get(c.image);
    if (!p) {
      p = checks.resolve(c.image, signal);
      pinned.set(c.image, p);
    }
    let image: PinnedImage;
    try {
      image = await p;
    } catch (err) {
      out.incomplete.push(incompleteOf(`resolving ${c.image}`, err, signal));
      return;
    }
    if (mutate) {
      if (!image.ref.digest)
        out.patch.push({ op: 'replace', path: c.pointer, value: `${c.image}@${image.digest}` });
      return;
    }
    await Promise.all([
      checks.verify(image, signal).then(
        (fs) => {
          for (const finding of fs) out.judged.push({ finding, channel: 'deny', about: c.image });
        },
        (err: unknown) => {
          out.incomplete.push(incompleteOf(`verifying ${image.pinned}`, err, signal));
        },
      ),
      checks.vulnerabilities(image, signal).then(
        (fs) => {
          const gate = policy.images.vulnerabilities;
          if (!gate) return;
          for (const finding of fs as Finding[]) {
            if (finding.kind !== 'vulnerability' || !atLeast(finding.severity, gate.denySeverity)) continue;
            if (gate.ignoreUnfixed && !finding.fixedVersion) continue;
            out.judged.push({ finding, channel: 'deny', about: c.image });
          }
        },
        (err: unknown) => {
          out.incomplete.push(incompleteOf(`scanning ${image.pinned}`, err, signal));
        },
      ),
    ]);
  });
  return out;
}
