import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { ScanResult } from '../../core/index.js';
import type { ImageSourceName } from '../../image/index.js';
import { DEFAULT_IMAGE_SOURCES } from '../../image/light.js';
import type { Format } from '../../report/index.js';
import type { Scanner } from '../../scan/index.js';
import { durationOption } from '../../transport/light.js';
import {
  addCommonOptions,
  addListAllPackages,
  type CommonOptions,
  debugSink,
  progress,
  refuseOffline,
} from '../common.js';
import { addDownloadDbOptions, checkDownloadDb, type DownloadDbOptions } from '../download-db.js';
import { addLayerCacheOptions, type LayerCacheOptions, openCliLayerCache } from '../layer-cache.js';
import { isDebug, runAction } from '../run.js';

/** What the action needs, loaded when it runs (registering the command loads none of it). */
const load = async () => ({
  ...(await import('../../analyzers/index.js')),
  ...(await import('../../image/index.js')),
  ...(await import('../../scan/image-entry.js')),
  ...(await import('../../transport/index.js')),
  ...(await import('../emit.js')),
  ...(await import('../download-db-run.js')),
});

interface ImageOptions extends CommonOptions, DownloadDbOptions, LayerCacheOptions {
  platform?: string;
  insecure?: boolean;
  scanners?: string;
  db?: string;
  secretConfig?: string;
  sbomAttest?: string;
  username?: string;
  password?: string;
  timeout: string;
  imageSrc: string;
}

/**
 * `--image-src`, checked before any work; with `--offline` the registry is left out, and a
 * reference only the registry could serve (`docker://REF`, or `--image-src remote`) is refused.
 */
function imageSources(
  { parseImageSources, parseImageTarget }: typeof import('../../image/index.js'),
  target: string,
  opts: ImageOptions,
): ImageSourceName[] {
  const sources = parseImageSources(opts.imageSrc);
  const parsed = parseImageTarget(target);
  if (parsed.kind === 'registry' && (parsed.remoteOnly || sources.every((s) => s === 'remote'))) {
    refuseOffline(opts, `the registry image "${target}"`);
  }
  return sources;
}

function imageCommand(program: Command, name: 'image' | 'sbom', summary: string, format: Format): void {
  const cmd = program
    .command(`${name} <target>`)
    .description(summary)
    .option(
      '--platform <os/arch[/variant]>',
      'the platform to scan (default: linux/amd64 from a multi-arch image)',
    )
    .option(
      '--image-src <list>',
      'where a bare image name is looked for, in order',
      DEFAULT_IMAGE_SOURCES.join(','),
    )
    .option('--insecure', 'plain HTTP (no TLS) to the registry')
    .option('--username <user>', 'registry user (else ~/.docker/config.json)')
    .option('--password <password>', 'registry password (else ~/.docker/config.json)')
    .option('--timeout <duration>', 'give up after this long (e.g. 90s, 5m, 1h)', '10m')
    .option('--db <path>', 'advisory database (default $STRATA_DB or ~/.cache/strata/db/strata.db)')
    .option('--secret-config <file>', 'custom secret rules and allow-lists (YAML)')
    .option('--sbom-attest <key>', 'sign the CycloneDX SBOM as an attestation and push it (cosign format)');
  if (name === 'image') {
    cmd.option('--scanners <list>', 'vuln,secret,misconfig', 'vuln,secret');
    addDownloadDbOptions(cmd);
  }
  addLayerCacheOptions(cmd);
  addListAllPackages(addCommonOptions(cmd, format)).action((target: string, opts: ImageOptions) =>
    runAction(async () => {
      const m = await load();
      const {
        downloadDbIfMissing,
        emitResult,
        loadSecretConfig,
        operationDeadline,
        parseImageSources,
        parsePlatform,
        parseScanners,
        prepareCommon,
        sbomTargetPath,
        scanImage,
      } = m;
      // an SBOM file is read, never looked for in an image source (and needs no network)
      const sbomFile = sbomTargetPath(target);
      const sources =
        sbomFile === undefined ? imageSources(m, target, opts) : parseImageSources(opts.imageSrc);
      if (opts.sbomAttest && sbomFile !== undefined) {
        throw new UsageError(
          'INVALID_ARGUMENT',
          `--sbom-attest: ${target} is an SBOM file, not a registry image`,
        );
      }
      // signing (sigstore, the registry client) loads only with --sbom-attest
      const attesting = opts.sbomAttest ? await import('../../scan/index.js') : undefined;
      if (opts.sbomAttest) attesting?.assertAttestable(target);
      checkDownloadDb(opts);
      const suppression = prepareCommon(opts);
      const sbomJson = name === 'sbom';
      if (sbomJson && sbomFile !== undefined) {
        progress(
          opts,
          `note: ${sbomFile} is an SBOM: strata sbom writes it again as --format says; to match it against the advisory database run "strata image sbom:${sbomFile}"`,
        );
      }
      const scanners: Scanner[] = sbomJson ? [] : parseScanners(opts.scanners, ['vuln', 'secret']);
      const signal = operationDeadline(durationOption('--timeout', opts.timeout));
      await downloadDbIfMissing(opts, scanners.includes('vuln'), signal);
      const layerCache = sbomFile === undefined ? await openCliLayerCache(opts) : undefined;
      const result: ScanResult = await scanImage(target, {
        ...(layerCache ? { layerCache } : {}),
        scanners,
        signal,
        imageSources: sources,
        ...(opts.offline ? { offline: true } : {}),
        onSource: (source, answer, reason) => {
          if (answer === 'found') progress(opts, `${target}: found in ${source}`);
          else debugSink(opts)?.(`image source ${source}: ${reason}`);
        },
        ...(opts.platform !== undefined ? { platform: parsePlatform(opts.platform) } : {}),
        ...(opts.insecure ? { insecure: true } : {}),
        ...(opts.username ? { username: opts.username } : {}),
        ...(opts.password ? { password: opts.password } : {}),
        ...(opts.secretConfig ? { secretConfig: loadSecretConfig(opts.secretConfig) } : {}),
        ...(opts.db ? { db: opts.db } : {}),
        onProgress: (m) => progress(opts, m),
        onWarning: (w) => progress(opts, `warning: ${w}`),
        ...(opts.debug ? { onDebug: debugSink(opts) } : {}),
      }).finally(() => layerCache?.close());
      if (opts.sbomAttest && attesting) {
        const attested = await attesting.attestScannedSbom(target, result, opts.sbomAttest, opts);
        progress(opts, `attested the CycloneDX SBOM of ${attested}`);
      }
      return emitResult(result, opts, suppression, scanners);
    }, isDebug()),
  );
}

export function registerImage(program: Command): void {
  imageCommand(
    program,
    'image',
    'scan a container image (docker, podman, containerd, registry, docker-archive:, oci:, oci-archive:, dir:)',
    'table',
  );
  imageCommand(
    program,
    'sbom',
    'inventory of an image as an SBOM (CycloneDX by default; json = inventory only)',
    'cyclonedx',
  );
}
