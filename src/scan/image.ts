import {
  type AnalyzerGroup,
  analyzersFor,
  createSecretAnalyzer,
  type SecretConfig,
} from '../analyzers/index.js';
import {
  type Analyzer,
  buildResult,
  debugLog,
  formatBytes,
  formatDuration,
  type LayerInfo,
  type ScanResult,
} from '../core/index.js';
import {
  type ImageHandle,
  type LayerCache,
  type LayerCacheEvent,
  type OpenOptions,
  openImage,
  parseImageTarget,
  walkImage,
} from '../image/index.js';
import type { DetectOptions } from './detect/run.js';
import { buildInventory } from './inventory.js';
import { sbomTargetPath } from './sbom-in/target.js';

export interface ImageScanOptions extends OpenOptions, DetectOptions {
  /** extra analyzers (tests, plugins) */
  readonly analyzers?: readonly Analyzer[];
  /** called for progress lines (stderr) */
  readonly onProgress?: (message: string) => void;
  /** keep dev-only dependencies (lockfiles); default true */
  readonly includeDev?: boolean;
  /** custom secret rules and allow-lists (`--secret-config`); default: the built-in rules */
  readonly secretConfig?: SecretConfig;
  /** analysed layers by diffID (`--cache-backend`; fleet workers share the server's) */
  readonly layerCache?: LayerCache;
}

/** `--debug`'s words for what the layer cache did */
function cacheWords(event: LayerCacheEvent): string {
  switch (event.outcome) {
    case 'hit':
      return 'cache hit';
    case 'miss':
      return 'cache miss';
    case 'corrupt':
      return `cache miss (unusable entry: ${event.reason}; walked again)`;
    case 'stored':
      return `cached (${formatBytes(event.bytes)})`;
    case 'not-stored':
      return `not cached: ${event.reason}`;
    case 'uncacheable':
      return `not cacheable: ${event.reason}`;
  }
}

function analyzersOf(options: ImageScanOptions): Analyzer[] {
  const groups: AnalyzerGroup[] = ['os', 'lang'];
  const secrets = options.scanners.includes('secret');
  if (secrets && !options.secretConfig) groups.push('secret');
  return [
    ...analyzersFor(groups),
    ...(secrets && options.secretConfig ? [createSecretAnalyzer(options.secretConfig)] : []),
    ...(options.analyzers ?? []),
  ];
}

function layerInfo(image: ImageHandle): LayerInfo[] {
  return image.layers.map((l) => ({
    digest: l.digest,
    diffId: l.diffId,
    size: l.size,
    ...(l.createdBy ? { createdBy: l.createdBy } : {}),
  }));
}

/** Inventory of an already-open image: walk every layer once, then decide OS and packages. */
export async function inventoryImage(image: ImageHandle, options: ImageScanOptions): Promise<ScanResult> {
  const analyzers = analyzersOf(options);
  const debug = debugLog(options.onDebug);
  debug.log(() => `analyzers (${analyzers.length}): ${analyzers.map((a) => a.name).join(', ')}`);
  let since = performance.now();
  const walked = await walkImage(image, {
    analyzers,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.layerCache
      ? {
          cache: options.layerCache,
          onCache: (i: number, l: LayerInfo, event: LayerCacheEvent) =>
            debug.log(() => `layer ${i + 1}/${image.layers.length} ${l.diffId}: ${cacheWords(event)}`),
        }
      : {}),
    onLayer: (i, l) => {
      options.onProgress?.(`layer ${i + 1}/${image.layers.length} ${l.digest.slice(0, 19)} done`);
      const now = performance.now();
      debug.log(
        `layer ${i + 1}/${image.layers.length} ${l.digest} (${formatBytes(l.size)}) walked in ${formatDuration(now - since)}`,
      );
      since = now;
    },
  });
  const layers = layerInfo(image);
  const inventory = buildInventory(walked.files, layers);
  return buildResult({
    target: {
      type: 'container_image',
      name: image.name,
      ...(image.digest ? { digest: image.digest } : {}),
      ...(image.indexDigest ? { indexDigest: image.indexDigest } : {}),
    },
    ...(inventory.os ? { os: inventory.os } : {}),
    layers,
    packages: inventory.packages,
    findings: walked.layerFindings,
    errors: walked.errors,
    metadata: { config: image.config },
  });
}

/** the image a source resolved: name, manifest and index digests, layer count and size */
function sourceLine(image: ImageHandle): string {
  const size = image.layers.reduce((n, l) => n + l.size, 0);
  return [
    image.name,
    image.digest ? `manifest ${image.digest}` : '',
    image.indexDigest ? `index ${image.indexDigest}` : '',
    `${image.layers.length} layers, ${formatBytes(size)}`,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * `strata image` (and `strata sbom`): resolve the target, walk it once, run the detectors asked for.
 * An SBOM target (`sbom:FILE`, or a CycloneDX/SPDX JSON file) is read instead of walked.
 */
export async function scanImage(targetText: string, options: ImageScanOptions): Promise<ScanResult> {
  const sbom = sbomTargetPath(targetText);
  if (sbom !== undefined) {
    const { scanSbom } = await import('./sbom-in/index.js');
    return scanSbom(sbom, options);
  }
  const target = parseImageTarget(targetText);
  const debug = debugLog(options.onDebug);
  // a bare name is served by whichever --image-src source had it (docker, podman, ...)
  let source: string = target.kind === 'engine' ? target.engine : target.kind;
  const image = await debug.time(
    (i: ImageHandle) => `source ${source}: ${sourceLine(i)}`,
    () =>
      openImage(target, {
        ...options,
        onSource: (s, answer, reason) => {
          if (answer === 'found') source = s === 'remote' ? 'registry' : s;
          options.onSource?.(s, answer, reason);
        },
      }),
  );
  try {
    options.onProgress?.(`scanning ${image.name}${image.digest ? ` (${image.digest})` : ''}`);
    const inventory = await inventoryImage(image, options);
    // the detectors (advisory matching, misconfiguration rules, ...) load once the walk is done, so
    // the first layer is read without waiting for their modules (docs/ARCHITECTURE.md "Start-up")
    const { runDetectors } = await import('./detect/run.js');
    const detected = await runDetectors({ inventory, imageConfig: image.config }, options);
    if (detected.findings.length === 0 && detected.errors.length === 0) return inventory;
    return buildResult({
      ...inventory,
      findings: [...inventory.findings, ...detected.findings],
      errors: [...inventory.errors, ...detected.errors],
    });
  } finally {
    await image.close();
  }
}
