import { DOCKER_HUB, type ImageReference } from '../../image/index.js';
import type { PolicyRule, VerificationPolicy } from './types.js';

/** `registry/repository` as patterns see it (`docker.io/library/alpine`). */
export function imageName(ref: Pick<ImageReference, 'registry' | 'repository'>): string {
  return `${ref.registry === DOCKER_HUB ? 'docker.io' : ref.registry}/${ref.repository}`;
}

/** Glob over an image name: `*` stays within a path segment, `**` crosses segments. */
export function globMatches(pattern: string, name: string): boolean {
  const re = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${re}$`).test(name);
}

/** The rules whose image patterns match the reference. */
export function matchingRules(
  policy: VerificationPolicy,
  ref: Pick<ImageReference, 'registry' | 'repository'>,
): PolicyRule[] {
  const name = imageName(ref);
  return policy.rules.filter((r) => r.images.some((p) => globMatches(p, name)));
}
