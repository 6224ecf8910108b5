import { buildResult, debugLog, type ScanResult, type ScanTarget } from '../../core/index.js';
import { type DetectOptions, runDetectors } from '../detect/run.js';
import { assertFindingBudget } from './budget.js';
import { sbomInventory } from './inventory.js';
import { skipNotes } from './notes.js';
import { readSbomFile } from './read.js';
import type { SbomDocument } from './types.js';

export interface SbomScanOptions extends DetectOptions {
  readonly onProgress?: (message: string) => void;
}

function osText(os: { family: string; version: string } | undefined): string {
  return os ? `${os.family} ${os.version}`.trim() : 'none named';
}

const LABEL = { cyclonedx: 'CycloneDX', spdx: 'SPDX' } as const;

/** The image or directory the SBOM describes is the target; the SBOM file itself when it names none. */
function targetOf(doc: SbomDocument, file: string): ScanTarget {
  const s = doc.subject;
  if (s?.container)
    return { type: 'container_image', name: s.name, ...(s.digest ? { digest: s.digest } : {}) };
  return { type: 'filesystem', name: s?.name ?? file };
}

/**
 * `strata image sbom:FILE` (and `strata sbom sbom:FILE`): the packages a CycloneDX or SPDX JSON
 * document lists, read into the inventory an image scan builds, then the same detectors. Only
 * those that need no more than the inventory apply (vulnerabilities): secrets and
 * misconfigurations need the files, which an SBOM does not hold.
 */
export async function scanSbom(file: string, options: SbomScanOptions): Promise<ScanResult> {
  const debug = debugLog(options.onDebug);
  const doc = await debug.time(
    (d: SbomDocument) =>
      `source sbom: ${file}: ${LABEL[d.format]} ${d.specVersion}, ${d.entries.length} components, ${d.edges.length} relationships`,
    async () => readSbomFile(file),
  );
  const inv = sbomInventory(doc);
  debug.log(
    () =>
      `sbom: ${inv.packages.length} packages (${inv.packages.filter((p) => p.ownedBy).length} owned by OS packages), OS ${osText(inv.os)}`,
  );
  const notes = skipNotes(file, inv);
  const what = `${LABEL[doc.format]} ${doc.specVersion.replace(/^SPDX-/, '')}, ${inv.packages.length} packages`;
  options.onProgress?.(
    options.scanners.length === 0
      ? `reading the SBOM ${file} (${what})`
      : `scanning the SBOM ${file} (${what}; vulnerabilities only: secrets and misconfigurations need the image)`,
  );
  if (doc.entries.length === 0) options.onWarning?.(`${file}: the SBOM lists no components`);
  for (const n of notes) options.onWarning?.(n);
  const analyzer = `sbom/${doc.format}`;
  const inventory = buildResult({
    target: targetOf(doc, file),
    ...(inv.os ? { os: inv.os } : {}),
    packages: inv.packages,
    errors: notes.map((message) => ({ analyzer, path: file, message })),
    metadata: {
      sbom: {
        path: file,
        format: doc.format,
        specVersion: doc.specVersion,
        components: doc.entries.length + doc.operatingSystems.length,
        packages: inv.packages.length,
      },
    },
  });
  if (options.scanners.includes('vuln')) assertFindingBudget(file, inv.packages, inv.os, options.db);
  const detected = await runDetectors({ inventory }, options);
  if (detected.findings.length === 0 && detected.errors.length === 0) return inventory;
  return buildResult({
    ...inventory,
    findings: [...inventory.findings, ...detected.findings],
    errors: [...inventory.errors, ...detected.errors],
  });
}
