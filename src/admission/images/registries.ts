import { parseReference } from '../../image/index.js';
import { globMatches, imageName } from '../../trust/index.js';

/**
 * Whether an image comes from an allowed registry: an entry without `/` or `*` is a registry host
 * (`127.0.0.1:5000`, `docker.io`), compared exactly; any other entry is a glob over
 * `registry/repository`, as exemptions and `strata verify --policy` patterns.
 */
export function registryAllowed(image: string, allowed: readonly string[]): boolean {
  let ref: ReturnType<typeof parseReference>;
  try {
    ref = parseReference(image);
  } catch {
    return false;
  }
  const name = imageName(ref);
  return allowed.some((entry) =>
    /[/*]/.test(entry)
      ? globMatches(entry, name)
      : entry === ref.registry || (entry === 'docker.io' && name.startsWith('docker.io/')),
  );
}
