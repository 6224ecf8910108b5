/**
 * What a response body may weigh, per kind of document. A body over its cap is cut off while
 * streaming (never buffered first) and fails with TOO_LARGE naming the URL and the cap.
 */
export type BodyKind =
  | 'manifest'
  | 'index'
  | 'config'
  | 'token'
  | 'api-page'
  | 'api-object'
  | 'error-body'
  | 'advisory-export'
  | 'blob'
  | 'document';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_LIMITS: Readonly<Record<BodyKind, number>> = {
  /** OCI manifests; distribution itself refuses more than 4 MiB */
  manifest: 4 * MiB,
  index: 4 * MiB,
  /** image configs carry history and env; 32 MiB is far beyond any real one */
  config: 32 * MiB,
  token: 1 * MiB,
  /** one page of a Kubernetes list (500 items by default; large ConfigMaps fit) */
  'api-page': 256 * MiB,
  'api-object': 16 * MiB,
  /** an error answer is only read for its message */
  'error-body': 64 * 1024,
  /** the largest OSV export (Debian, all.zip) is a few hundred MiB */
  'advisory-export': 2 * GiB,
  /** a layer: its descriptor's size is enforced as well, by the digest verifier */
  blob: 64 * GiB,
  document: 16 * MiB,
};

export type Limits = Readonly<Record<BodyKind, number>>;

export function limitsWith(overrides: Partial<Record<BodyKind, number>> = {}): Limits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

export function formatBytes(n: number): string {
  if (n >= GiB && n % GiB === 0) return `${n / GiB} GiB`;
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
