import type { PackageDraft } from '../../types.js';
import { composerPackage } from './naming.js';
import { isDict, str, strings } from './values.js';

/** One Composer package record (composer.lock and installed.json share the shape); undefined when unnamed. */
export function composerDraft(raw: unknown, dev: boolean): PackageDraft | undefined {
  if (!isDict(raw)) return undefined;
  const name = str(raw.name);
  const version = str(raw.version);
  if (!name || !version) return undefined;
  const license = raw.license;
  const licenses = typeof license === 'string' ? [license] : strings(license);
  return composerPackage(name, version, {
    ...(licenses.length ? { licenses } : {}),
    ...(dev ? { dev: true } : {}),
  });
}
