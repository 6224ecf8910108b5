import type { PackageDraft } from '../../types.js';
import { RpmDbError } from './errors.js';
import { type RpmHeader, RpmTag } from './header.js';
import { parseSourceRpm } from './source-rpm.js';

/** rpm shows absent optional tags as `(none)`; some databases store that text literally. */
function optional(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === '(none)' ? undefined : value;
}

function required(header: RpmHeader, tag: RpmTag, label: string): string {
  const value = header.string(tag);
  if (value === undefined || value === '') {
    throw new RpmDbError('RPM_HEADER_INVALID', `rpm header: no ${label} tag`);
  }
  return value;
}

/**
 * The package a header describes, or undefined for the `gpg-pubkey` pseudo packages rpm uses to
 * store imported signing keys. Version is `[epoch:]version-release`; the source package takes its
 * name, version and release from SOURCERPM and, since a source rpm file name has no epoch, the
 * binary package's epoch (as rpm-based distributions and their advisories treat it).
 */
export function packageFromHeader(header: RpmHeader, path: string): PackageDraft | undefined {
  const name = required(header, RpmTag.NAME, 'NAME');
  if (name === 'gpg-pubkey') return undefined;
  const version = required(header, RpmTag.VERSION, 'VERSION');
  const release = required(header, RpmTag.RELEASE, 'RELEASE');
  const epoch = header.int32(RpmTag.EPOCH);
  const epochPrefix = epoch ? `${epoch}:` : '';
  const arch = optional(header.string(RpmTag.ARCH));
  const sourceRpm = optional(header.string(RpmTag.SOURCERPM));
  const source = sourceRpm === undefined ? undefined : parseSourceRpm(sourceRpm);
  const license = optional(header.string(RpmTag.LICENSE));
  const vendor = optional(header.string(RpmTag.VENDOR));
  return {
    type: 'rpm',
    name,
    version: `${epochPrefix}${version}-${release}`,
    ...(epoch === undefined ? {} : { epoch }),
    ...(arch === undefined ? {} : { arch }),
    ...(source === undefined
      ? {}
      : { source: { name: source.name, version: `${epochPrefix}${source.version}-${source.release}` } }),
    ...(license === undefined ? {} : { licenses: [license] }),
    ...(vendor === undefined ? {} : { vendor }),
    path,
    extra: { version, release, ...(sourceRpm === undefined ? {} : { sourceRpm }) },
  };
}
