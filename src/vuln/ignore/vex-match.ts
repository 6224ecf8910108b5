import { type PurlParts, parsePurl, purlMatches } from '../../core/purl.js';
import type { ScanTarget } from '../../core/types.js';
import { parseImageTarget, parseReference } from '../../image/index.js';

/**
 * OpenVEX product matching. A statement speaks about products (and, within them, subcomponents);
 * it applies to a finding only when the finding lies inside what it names:
 * - a product without subcomponents names a package (its purl matches the finding's package purl)
 *   or an image (a `pkg:oci` purl that identifies the scanned image: then every package in it);
 * - a product with subcomponents must identify the scanned image, and one subcomponent must match
 *   the finding's package purl (statement-level `subcomponents`, the v0.0.x form, join every product).
 * Purls match as `purlMatches` says: a pattern without version or qualifiers matches more widely.
 * CPE identifiers and IRIs that are not purls never match: Strata cannot tell what they name.
 */
export interface VexComponent {
  /** the identifiers as written, for messages */
  readonly ids: readonly string[];
  /** the identifiers that are purls, parsed */
  readonly purls: readonly PurlParts[];
}

export interface VexProduct extends VexComponent {
  readonly subcomponents: readonly VexComponent[];
}

/** What Strata knows about the scanned image, from the result's target. */
export interface ImageIdentity {
  /** the manifest digest, and the index digest it was chosen from: a statement may name either */
  readonly digests: readonly string[];
  /** the purl-style name: the last path segment of the repository */
  readonly name?: string;
  /** `registry/repository`, normalised as Docker does */
  readonly repositoryUrl?: string;
  readonly tag?: string;
}

export function vexComponent(ids: readonly (string | undefined)[]): VexComponent {
  const written = ids.filter((id): id is string => id !== undefined);
  return {
    ids: written,
    purls: written.map(parsePurl).filter((p): p is PurlParts => p !== undefined),
  };
}

function repository(text: string): string | undefined {
  try {
    const ref = parseReference(text.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, ''));
    return `${ref.registry}/${ref.repository}`;
  } catch {
    return undefined;
  }
}

/** The image a result is about; undefined for targets that are not images. */
export function imageIdentity(target: ScanTarget): ImageIdentity | undefined {
  if (target.type !== 'container_image') return undefined;
  const digests = [target.digest, target.indexDigest]
    .filter((d): d is string => d !== undefined)
    .map((d) => d.toLowerCase());
  let named: Omit<ImageIdentity, 'digests'> = {};
  try {
    const parsed = parseImageTarget(target.name);
    if (parsed.kind === 'registry') {
      const ref = parseReference(parsed.reference);
      named = {
        name: ref.repository.split('/').at(-1) ?? ref.repository,
        repositoryUrl: `${ref.registry}/${ref.repository}`,
        ...(ref.tag !== undefined ? { tag: ref.tag } : {}),
      };
    }
  } catch {
    // a name that is neither a path nor a reference: only the digest identifies the image
  }
  return { digests, ...named };
}

/** A known fact must agree; an unknown one disqualifies unless the digest already pinned the image. */
function agrees(known: string | undefined, wanted: string, pinned: boolean): boolean {
  return known === undefined ? pinned : known === wanted;
}

function ociIdentifies(p: PurlParts, image: ImageIdentity): boolean {
  if (p.type !== 'oci') return false;
  const pinned = p.version !== undefined;
  if (pinned && !image.digests.includes(p.version?.toLowerCase() ?? '')) return false;
  if (!agrees(image.name, p.name, pinned)) return false;
  for (const [key, value] of Object.entries(p.qualifiers ?? {})) {
    if (value === undefined) continue;
    if (key === 'repository_url') {
      if (!agrees(image.repositoryUrl, repository(value) ?? value.toLowerCase(), pinned)) return false;
    } else if (key === 'tag') {
      if (!agrees(image.tag, value, pinned)) return false;
    } else if (!pinned) {
      return false; // arch, os, ...: nothing in the target to compare them with
    }
  }
  return true;
}

export function identifiesImage(c: VexComponent, image: ImageIdentity | undefined): boolean {
  return image !== undefined && c.purls.some((p) => ociIdentifies(p, image));
}

export function namesPackage(c: VexComponent, pkg: PurlParts | undefined): boolean {
  return pkg !== undefined && c.purls.some((p) => purlMatches(p, pkg));
}

/** True when `product` (with the statement's own subcomponents) covers this package in this image. */
export function productCovers(
  product: VexProduct,
  statementSubcomponents: readonly VexComponent[],
  pkg: PurlParts | undefined,
  image: ImageIdentity | undefined,
): boolean {
  const subs = [...product.subcomponents, ...statementSubcomponents];
  if (subs.length === 0) return namesPackage(product, pkg) || identifiesImage(product, image);
  return identifiesImage(product, image) && subs.some((s) => namesPackage(s, pkg));
}
