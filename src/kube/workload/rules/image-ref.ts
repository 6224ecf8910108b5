/** The parts of an image reference the rules need: `[registry/]repo[:tag][@digest]`. */
export interface ImageRefParts {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
  /** the first component names a registry (has a dot or port, or is localhost) */
  readonly hasRegistry: boolean;
}

export function splitImage(image: string): ImageRefParts {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const tag = colon > slash ? rest.slice(colon + 1) : undefined;
  const name = colon > slash ? rest.slice(0, colon) : rest;
  const first = name.split('/')[0] ?? '';
  const hasRegistry =
    name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}), hasRegistry };
}

/** A tag that can move: `latest`, or no tag and no digest. */
export function isMutableTag(image: string): boolean {
  const p = splitImage(image);
  return !p.digest && (p.tag === undefined || p.tag === 'latest');
}
