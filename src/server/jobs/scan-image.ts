import { parseWith, z } from '../../core/schema.js';
import { parseImageTarget, parseReference } from '../../image/index.js';
import { finalizeResult, parseScanners, type Scanner, sbomTargetPath, scanImage } from '../../scan/index.js';
import { contractOf, type JobType } from './types.js';

export const ScanPayload = z.object({
  target: z.string().min(1),
  scanners: z.array(z.enum(['vuln', 'secret', 'misconfig'])).optional(),
  insecure: z.boolean().optional(),
  platform: z.string().optional(),
});
export type ScanPayload = z.infer<typeof ScanPayload>;

export const DEFAULT_SCANNERS: readonly Scanner[] = ['vuln', 'secret'];

export function scannersOf(payload: ScanPayload): Scanner[] {
  return parseScanners((payload.scanners ?? DEFAULT_SCANNERS).join(','), [...DEFAULT_SCANNERS]);
}

/** A target that names something on the worker's disk or engine, not in a registry (admin tokens only). */
export function isLocalImageTarget(target: string): boolean {
  // an SBOM file (`sbom:FILE`, or a CycloneDX/SPDX JSON path) is read from the worker's disk
  return sbomTargetPath(target) !== undefined || parseImageTarget(target).kind !== 'registry';
}

/** The registry host a reference names, for the credential store; undefined for local targets. */
export function registryOf(target: string): string | undefined {
  if (sbomTargetPath(target) !== undefined) return undefined;
  const t = parseImageTarget(target);
  return t.kind === 'registry' ? parseReference(t.reference).registry : undefined;
}

/** `strata image TARGET --format json`, through the same pipeline, with stored registry credentials. */
export const scanImageJob: JobType<ScanPayload> = {
  name: 'scan-image',
  maxAttempts: 3,
  parse: (payload) => parseWith(ScanPayload, payload, 'scan-image job'),
  async run(payload, ctx) {
    const scanners = scannersOf(payload);
    const registry = registryOf(payload.target);
    const cred = registry ? await ctx.store.credentialFor(registry) : undefined;
    const result = await scanImage(payload.target, {
      scanners,
      signal: ctx.signal,
      imageSources: ['remote'],
      ...(payload.insecure ? { insecure: true } : {}),
      ...(cred ? { username: cred.username, password: cred.password } : {}),
      ...(ctx.db ? { db: ctx.db } : {}),
      // layers any worker analysed before (this image's, or a shared base's) are replayed
      layerCache: ctx.store.layers,
    });
    return {
      result: contractOf(finalizeResult(result, { suppression: { suppressors: [], warnings: [] } }).shown),
      scanners,
    };
  },
};
