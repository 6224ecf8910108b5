import { parseReference } from '../image/index.js';
import { globMatches, imageName } from '../trust/index.js';
import type { Exemption } from './policy/types.js';

/** Who is asking and where (the request's namespace and userInfo). */
export interface Requester {
  readonly namespace?: string;
  readonly username?: string;
  readonly groups: readonly string[];
}

export function activeExemptions(exemptions: readonly Exemption[], now: Date): Exemption[] {
  return exemptions.filter((e) => !e.expires || now < e.expires);
}

function requesterMatches(e: Exemption, who: Requester): boolean {
  if (e.namespaces && !(who.namespace !== undefined && e.namespaces.includes(who.namespace))) return false;
  if (e.users && !(who.username !== undefined && e.users.includes(who.username))) return false;
  if (e.groups && !e.groups.some((g) => who.groups.includes(g))) return false;
  return true;
}

/** The exemption that lets the whole request through (one without `images`), if any. */
export function requestExemption(exemptions: readonly Exemption[], who: Requester): Exemption | undefined {
  return exemptions.find((e) => !e.images && requesterMatches(e, who));
}

/** `registry/repository` of an image as exemption and trust patterns see it, or the text when it does not parse. */
export function imagePatternName(image: string): string {
  try {
    return imageName(parseReference(image));
  } catch {
    return image;
  }
}

/** The exemption that spares this image the image checks, if any. */
export function imageExemption(
  exemptions: readonly Exemption[],
  who: Requester,
  image: string,
): Exemption | undefined {
  const name = imagePatternName(image);
  return exemptions.find(
    (e) => e.images !== undefined && requesterMatches(e, who) && e.images.some((p) => globMatches(p, name)),
  );
}

export function describeExemption(e: Exemption): string {
  const parts = [
    e.namespaces && `namespaces ${e.namespaces.join(',')}`,
    e.users && `users ${e.users.join(',')}`,
    e.groups && `groups ${e.groups.join(',')}`,
    e.images && `images ${e.images.join(',')}`,
  ].filter(Boolean);
  return `${parts.join(' ')}${e.reason ? ` (${e.reason})` : ''}`;
}
