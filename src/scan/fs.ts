import { resolve } from 'node:path';
import { buildResult, debugLog, type ScanResult } from '../core/index.js';
import { openDirImage } from '../image/index.js';
import { runDetectors } from './detect/run.js';
import { type ImageScanOptions, inventoryImage } from './image.js';

/**
 * `strata fs`: a project or root-filesystem directory, walked by the same analyzers as an image
 * (lockfiles are the project's packages); the result is a `filesystem` target without layers.
 */
export async function scanFilesystem(dir: string, options: ImageScanOptions): Promise<ScanResult> {
  const root = resolve(dir);
  const image = openDirImage(root, dir);
  debugLog(options.onDebug).log(`source directory: ${root}`);
  try {
    const inventory = await inventoryImage(image, options);
    const { layers: _layers, ...rest } = inventory;
    const packages = inventory.packages
      .filter((p) => options.includeDev !== false || !p.dev)
      .map(({ layer: _layer, ...p }) => p);
    const findings = inventory.findings.map((f) => {
      const { layer: _l, ...location } = f.location;
      return { ...f, location };
    });
    const base = buildResult({ ...rest, target: { type: 'filesystem', name: dir }, packages, findings });
    const detected = await runDetectors({ inventory: base, root: dir }, options);
    if (detected.findings.length === 0 && detected.errors.length === 0) return base;
    return buildResult({
      ...base,
      findings: [...base.findings, ...detected.findings],
      errors: [...base.errors, ...detected.errors],
    });
  } finally {
    await image.close();
  }
}
