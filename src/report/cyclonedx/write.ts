import { comparePackages } from '../../core/result.js';
import type { ScanResult } from '../../core/types.js';
import {
  applicationIndexes,
  contentUuid,
  documentTimes,
  isOsPackage,
  layerIndex,
  ownerIndexes,
} from '../spdx/index.js';
import { packageBomRefs } from './bom-ref.js';
import { osComponent, packageComponent, rootComponent } from './component.js';
import type { CdxBom, CdxComponent, CdxDependency } from './types.js';
import { cdxVulnerabilities } from './vulnerabilities.js';

/**
 * The scan result as a CycloneDX 1.6 JSON BOM. The target is `metadata.component`; it depends on the
 * operating system and the language packages, the operating system on its packages, and an OS
 * package on the language packages it installed (`ownedBy`, also a `strata:ownedBy` property). The
 * application itself (a Go main module, a lockfile's or pyproject's project: `extra.main`) is an
 * `application` component the target depends on, and it depends on its packages. Deterministic:
 * `metadata.timestamp` only when the caller sets `metadata.generatedAt`, and the serial number is a
 * UUID of the content, so the same result always gives byte-identical text.
 */
export function writeCycloneDx(result: ScanResult): string {
  const times = documentTimes(result);
  const layers = layerIndex(result);
  const sorted = [...result.packages].sort(comparePackages);
  const refs = packageBomRefs(sorted);
  const root = rootComponent(result.target);
  const os = result.os ? osComponent(result.os) : undefined;
  const packages = sorted.map((p, i) => packageComponent(p, refs[i]!, layers));

  const osRefs: string[] = [];
  const rootRefs: string[] = os ? [os['bom-ref']] : [];
  // a package hangs under the OS package that installed it, else the application it belongs to
  const owners = ownerIndexes(sorted);
  const apps = applicationIndexes(sorted);
  const byOwner = new Map<number, string[]>();
  sorted.forEach((p, i) => {
    const owner = owners[i] ?? apps[i];
    if (owner !== undefined) byOwner.set(owner, [...(byOwner.get(owner) ?? []), refs[i]!]);
    else (os && isOsPackage(p) ? osRefs : rootRefs).push(refs[i]!);
  });
  const dependencies: CdxDependency[] = [
    { ref: root['bom-ref'], dependsOn: rootRefs },
    ...(os ? [{ ref: os['bom-ref'], dependsOn: osRefs }] : []),
    ...[...byOwner].sort(([a], [b]) => a - b).map(([owner, dependsOn]) => ({ ref: refs[owner]!, dependsOn })),
  ];
  const components: CdxComponent[] = [...(os ? [os] : []), ...packages];
  const vulnerabilities = cdxVulnerabilities(result.findings, packages);

  const bom: CdxBom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: '',
    version: 1,
    metadata: {
      ...(times.generatedAt ? { timestamp: times.generatedAt } : {}),
      tools: { components: [{ type: 'application', name: 'strata', version: result.tool.version }] },
      component: root,
    },
    components,
    dependencies,
    ...(vulnerabilities.length ? { vulnerabilities } : {}),
  };
  bom.serialNumber = `urn:uuid:${contentUuid('cyclonedx', JSON.stringify(bom))}`;
  return `${JSON.stringify(bom, null, 2)}\n`;
}
