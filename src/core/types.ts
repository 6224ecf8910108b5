import type { Severity } from './severity.js';

/** Where a layer came from; every package and finding found in an image points at one. */
export interface LayerInfo {
  /** digest of the blob as stored (compressed); equals diffId for uncompressed layers and `dir:` */
  readonly digest: string;
  /** digest of the uncompressed tar (the image config's rootfs.diff_ids) */
  readonly diffId: string;
  readonly size: number;
  /** the history `created_by` of the step that made this layer, when the config records it */
  readonly createdBy?: string;
}

export type OSFamily =
  | 'debian'
  | 'ubuntu'
  | 'alpine'
  | 'rhel'
  | 'centos'
  | 'rocky'
  | 'almalinux'
  | 'fedora'
  | 'amazon'
  | 'oracle'
  | 'suse'
  | 'opensuse'
  | 'photon'
  | 'wolfi'
  | 'chainguard'
  | 'mariner'
  | 'azurelinux'
  | 'distroless'
  | 'unknown';

export interface OSInfo {
  readonly family: OSFamily;
  /** the release as the distribution writes it: `12.5`, `3.20.1`, `22.04`, `9.3` */
  readonly version: string;
  /** the human name from os-release, when present */
  readonly name?: string;
  /** `debian` for distroless images built on Debian, etc. */
  readonly distroless?: boolean;
}

export interface SourcePackage {
  readonly name: string;
  readonly version: string;
}

/**
 * The OS package that installed a language package's files (dpkg's `info/*.list`, rpm's header file
 * list, apk's `F:`/`R:` lines): the distribution patches and rates it, so its advisories apply.
 */
export interface PackageOwner {
  readonly type: 'deb' | 'rpm' | 'apk';
  readonly name: string;
  readonly version: string;
  readonly purl: string;
}

export interface Package {
  readonly name: string;
  /** the full version as the package manager writes it (dpkg/rpm with epoch) */
  readonly version: string;
  /** the OSV ecosystem name, with release where OSV uses one: `Debian:12`, `Alpine:v3.20`, `npm` */
  readonly ecosystem: string;
  readonly purl: string;
  readonly source?: SourcePackage;
  readonly arch?: string;
  readonly licenses?: readonly string[];
  readonly maintainer?: string;
  readonly vendor?: string;
  /** the file (in the image or project) that recorded the package, without a leading slash */
  readonly path: string;
  /**
   * every file that recorded this same package of the same project (a lockfile and its installed copy:
   * `package-lock.json` and `node_modules/x/package.json`), sorted; `path` is the lockfile's. Set only
   * when there is more than one.
   */
  readonly locations?: readonly string[];
  /** the digest of the layer that introduced the package */
  readonly layer?: string;
  /** dev-only dependency (lockfiles) */
  readonly dev?: boolean;
  /** analyzer-specific extras that some detector needs (e.g. apk checksum); plain JSON only */
  readonly extra?: Readonly<Record<string, string | number | boolean>>;
  /**
   * language packages only: the OS package whose file list holds this package's file; it is
   * matched through that OS package's advisories, not its language ecosystem's
   */
  readonly ownedBy?: PackageOwner;
}

export type { Finding, FindingKind, FindingLocation } from './finding/index.js';

import type { Finding } from './finding/index.js';

export interface ScanError {
  readonly analyzer: string;
  readonly path?: string;
  readonly message: string;
}

/** `registry`: a registry watch run (fleet mode) */
export type TargetType = 'container_image' | 'filesystem' | 'kubernetes' | 'cluster' | 'registry';

export interface ScanTarget {
  readonly type: TargetType;
  readonly name: string;
  readonly digest?: string;
  /** the image index (manifest list) the platform manifest `digest` was chosen from, when there was one */
  readonly indexDigest?: string;
}

/** The JSON result contract of ../shared/SPEC.md (schemaVersion 1). */
export interface ScanResult {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'strata'; readonly version: string };
  readonly target: ScanTarget;
  readonly os?: OSInfo;
  readonly layers?: readonly LayerInfo[];
  readonly packages: readonly Package[];
  readonly findings: readonly Finding[];
  readonly summary: Readonly<Record<Severity, number>>;
  readonly errors: readonly ScanError[];
  /** findings an ignore file or VEX statement suppressed, each with `evidence.suppression` (never gated) */
  readonly suppressed?: readonly Finding[];
  /** image config facts some reports use (not part of the sorted contract arrays) */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** `strata rbac`: the built-in Kubernetes default ClusterRoles and bindings the analysis added */
  readonly rbacDefaults?: Readonly<Record<string, unknown>>;
}
