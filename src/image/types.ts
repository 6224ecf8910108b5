import type { Readable } from 'node:stream';
import type { LayerInfo } from '../core/types.js';
import type { EngineName, ImageSourceName } from './engine/sources.js';

/** The parts of the OCI/Docker image config Strata reads (parsed at the edge, see config.ts). */
export interface ImageConfig {
  readonly architecture?: string;
  readonly os?: string;
  readonly variant?: string;
  readonly created?: string;
  readonly config?: {
    readonly User?: string;
    readonly Env?: readonly string[];
    readonly Entrypoint?: readonly string[] | null;
    readonly Cmd?: readonly string[] | null;
    readonly ExposedPorts?: Readonly<Record<string, unknown>>;
    readonly Labels?: Readonly<Record<string, string>> | null;
    readonly WorkingDir?: string;
    readonly Healthcheck?: { readonly Test?: readonly string[] };
  };
  readonly rootfs?: { readonly type: string; readonly diff_ids: readonly string[] };
  readonly history?: readonly {
    readonly created?: string;
    readonly created_by?: string;
    readonly comment?: string;
    readonly empty_layer?: boolean;
  }[];
}

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** One layer of a resolved image: where it is, and what it is. */
export interface LayerDescriptor extends LayerInfo {
  readonly mediaType: string;
}

/**
 * What a layer's bytes look like when opened. Tar layers are the blob as stored (possibly
 * compressed, already digest-verified while streaming); a `dir:` root filesystem is one
 * directory on the host, read without following symlinks.
 */
export type LayerContent =
  | { readonly kind: 'tar'; readonly stream: Readable }
  | { readonly kind: 'dir'; readonly root: string };

/** A resolved image, whatever its source. */
export interface ImageHandle {
  /** what the user asked for, as given */
  readonly name: string;
  /** the manifest digest (registry, oci layout, archives); absent for `dir:` */
  readonly digest?: string;
  /** the index (manifest list) digest the platform manifest was chosen from, when there was one */
  readonly indexDigest?: string;
  /** the resolved repository (registry sources) */
  readonly repository?: string;
  readonly config: ImageConfig;
  /** the digest of the config blob (for `dir:`, none) */
  readonly configDigest?: string;
  /** raw config bytes, as served (for secret scanning and attestations); absent for `dir:` */
  readonly rawConfig?: Buffer;
  /** the media type of the resolved (single-platform) manifest, when there is one */
  readonly manifestMediaType?: string;
  readonly layers: readonly LayerDescriptor[];
  openLayer(index: number, signal?: AbortSignal): Promise<LayerContent>;
  close(): Promise<void>;
}

/** The kinds of image target, as the CLI names them. */
export type ImageTarget =
  /**
   * a reference: looked up in `imageSources` in order (`--image-src`), or only in its registry
   * when written `docker://REF` (`remoteOnly`)
   */
  | { readonly kind: 'registry'; readonly reference: string; readonly remoteOnly?: boolean }
  /** `docker:NAME`, `podman:NAME`, `containerd:NAME`: that local engine only */
  | { readonly kind: 'engine'; readonly engine: EngineName; readonly name: string }
  | { readonly kind: 'docker-archive'; readonly path: string }
  | { readonly kind: 'oci'; readonly dir: string; readonly tag?: string }
  | { readonly kind: 'oci-archive'; readonly path: string; readonly tag?: string }
  | { readonly kind: 'dir'; readonly root: string };

export interface RegistryOptions {
  readonly platform?: Platform;
  /** plain HTTP (and no TLS verification) for these registries / all when true */
  readonly insecure?: boolean;
  /** docker config.json location; default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json` */
  readonly dockerConfig?: string;
  readonly username?: string;
  readonly password?: string;
  /** retries on 429/5xx (default 4) */
  readonly retries?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** PEM file of extra CA certificates trusted for registry TLS (a private registry's CA) */
  readonly caFile?: string;
}

export interface OpenOptions extends RegistryOptions {
  /** where temporary files may be written (an engine's saved image; archives are read in place) */
  readonly tempDir?: string;
  /** where a reference is looked for, in order (`--image-src`); default: the registry only */
  readonly imageSources?: readonly ImageSourceName[];
  /** never reach a registry: the `remote` source is not tried */
  readonly offline?: boolean;
  /** told what each source answered, in order (`reason` for those that did not have the image) */
  readonly onSource?: (
    source: ImageSourceName,
    answer: 'found' | 'absent' | 'missing' | 'failed',
    reason?: string,
  ) => void;
}
