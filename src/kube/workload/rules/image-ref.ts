import { splitReference } from '../../../image/index.js';

/** The parts of an image reference the rules need: `[registry/]repo[:tag][@digest]`. */
export interface ImageRefParts {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
  /** the first component names a registry (as Docker decides: a dot or port, localhost, upper case) */
  readonly hasRegistry: boolean;
}

/** Splits a container's image with the one reference splitter (image/reference.ts). */
export function splitImage(image: string): ImageRefParts {
  const { name, tag, digest, domain } = splitReference(image);
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}), hasRegistry: domain !== undefined };
}

/** A tag that can move: `latest`, or no tag and no digest. */
export function isMutableTag(image: string): boolean {
  const p = splitImage(image);
  return !p.digest && (p.tag === undefined || p.tag === 'latest');
}
