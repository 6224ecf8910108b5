import type { OSInfo, ScanTarget } from '../../core/types.js';
import { idString } from './spdx-id.js';
import type { SpdxPackage } from './types.js';

const ROOT_KIND: Record<ScanTarget['type'], { id: string; purpose: string }> = {
  container_image: { id: 'ContainerImage', purpose: 'CONTAINER' },
  filesystem: { id: 'Filesystem', purpose: 'APPLICATION' },
  kubernetes: { id: 'Kubernetes', purpose: 'OTHER' },
  cluster: { id: 'Cluster', purpose: 'OTHER' },
  registry: { id: 'Registry', purpose: 'OTHER' },
};

/** Facts a scan does not establish, stated as SPDX's NOASSERTION. */
export const NOASSERTION = {
  downloadLocation: 'NOASSERTION',
  filesAnalyzed: false,
  licenseConcluded: 'NOASSERTION',
  licenseDeclared: 'NOASSERTION',
  copyrightText: 'NOASSERTION',
} as const;

/** The package the document describes: the image (version = its digest) or the scanned directory. */
export function rootPackage(target: ScanTarget): SpdxPackage {
  const kind = ROOT_KIND[target.type];
  return {
    name: target.name,
    SPDXID: `SPDXRef-${kind.id}-${idString(target.name)}`,
    ...(target.digest ? { versionInfo: target.digest } : {}),
    ...NOASSERTION,
    primaryPackagePurpose: kind.purpose,
  };
}

export function osPackage(os: OSInfo): SpdxPackage {
  return {
    name: os.family,
    SPDXID: `SPDXRef-OperatingSystem-${idString(`${os.family}-${os.version}`)}`,
    ...(os.version ? { versionInfo: os.version } : {}),
    ...NOASSERTION,
    ...(os.name ? { description: os.name } : {}),
    primaryPackagePurpose: 'OPERATING_SYSTEM',
  };
}
