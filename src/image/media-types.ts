import { ImageError } from './errors.js';

export const MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  dockerLayerTar: 'application/vnd.docker.image.rootfs.diff.tar',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
} as const;

/** What Strata asks a registry for, best first (schema 1 is not accepted). */
export const MANIFEST_ACCEPT: readonly string[] = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerManifestList,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerManifest,
];

export type LayerCompression = 'none' | 'gzip' | 'zstd';

const LAYER_TYPES: Readonly<Record<string, LayerCompression>> = {
  [MEDIA_TYPES.dockerLayer]: 'gzip',
  [MEDIA_TYPES.dockerForeignLayer]: 'gzip',
  [MEDIA_TYPES.dockerLayerTar]: 'none',
  [MEDIA_TYPES.ociLayer]: 'none',
  [MEDIA_TYPES.ociLayerGzip]: 'gzip',
  [MEDIA_TYPES.ociLayerZstd]: 'zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar': 'none',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd': 'zstd',
};

const CONFIG_TYPES = new Set<string>([MEDIA_TYPES.dockerConfig, MEDIA_TYPES.ociConfig]);

/** The compression a layer media type declares; any other media type is not a filesystem layer. */
export function layerCompression(mediaType: string, where: string): LayerCompression {
  const compression = LAYER_TYPES[mediaType];
  if (compression === undefined) {
    throw new ImageError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${where}: layer media type "${mediaType.slice(0, 200)}" is not a container filesystem layer`,
    );
  }
  return compression;
}

export function assertConfigMediaType(mediaType: string, where: string): void {
  if (!CONFIG_TYPES.has(mediaType)) {
    throw new ImageError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${where}: config media type "${mediaType.slice(0, 200)}" is not a container image config (an artifact?)`,
    );
  }
}
