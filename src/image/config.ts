import { isDigest } from '../core/digest.js';
import { ImageError } from './errors.js';
import type { ImageConfig } from './types.js';

/** Configs with a long history can be big, but never this big. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
const nullableStrings = (v: unknown): string[] | null | undefined => (v === null ? null : strings(v));

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Drops undefined values so the typed result stays minimal and deterministic. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function parseRuntimeConfig(v: unknown): ImageConfig['config'] {
  if (!isRecord(v)) return undefined;
  const health = isRecord(v.Healthcheck) ? defined({ Test: strings(v.Healthcheck.Test) }) : undefined;
  return defined({
    User: str(v.User),
    Env: strings(v.Env),
    Entrypoint: nullableStrings(v.Entrypoint),
    Cmd: nullableStrings(v.Cmd),
    ExposedPorts: isRecord(v.ExposedPorts) ? v.ExposedPorts : undefined,
    Labels: v.Labels === null ? null : stringMap(v.Labels),
    WorkingDir: str(v.WorkingDir),
    Healthcheck: health,
  });
}

function parseRootfs(v: unknown, where: string): ImageConfig['rootfs'] {
  if (v === undefined) return undefined;
  if (!isRecord(v) || !Array.isArray(v.diff_ids)) {
    throw new ImageError('INVALID_CONFIG', `${where}: rootfs.diff_ids is missing`);
  }
  const diffIds = v.diff_ids.map((d, i) => {
    if (typeof d !== 'string' || !isDigest(d)) {
      throw new ImageError('INVALID_CONFIG', `${where}: rootfs.diff_ids[${i}] is not a digest`);
    }
    return d;
  });
  return { type: str(v.type) ?? 'layers', diff_ids: diffIds };
}

function parseHistory(v: unknown): ImageConfig['history'] {
  if (!Array.isArray(v)) return undefined;
  return v.filter(isRecord).map((h) =>
    defined({
      created: str(h.created),
      created_by: str(h.created_by),
      comment: str(h.comment),
      empty_layer: typeof h.empty_layer === 'boolean' ? h.empty_layer : undefined,
    }),
  );
}

/** Parses the image config JSON (Docker or OCI) into the fields Strata reads. */
export function parseImageConfig(bytes: Uint8Array, where: string): ImageConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new ImageError('INVALID_CONFIG', `${where}: image config is not valid JSON`, { cause });
  }
  if (!isRecord(doc)) throw new ImageError('INVALID_CONFIG', `${where}: image config is not a JSON object`);
  return defined({
    architecture: str(doc.architecture),
    os: str(doc.os),
    variant: str(doc.variant),
    created: str(doc.created),
    config: parseRuntimeConfig(doc.config),
    rootfs: parseRootfs(doc.rootfs, where),
    history: parseHistory(doc.history),
  });
}

export function diffIdsOf(config: ImageConfig, layerCount: number, where: string): readonly string[] {
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== layerCount) {
    throw new ImageError(
      'INVALID_MANIFEST',
      `${where}: image has ${layerCount} layers but its config lists ${diffIds.length} diff_ids`,
    );
  }
  return diffIds;
}

/**
 * The `created_by` of each layer: history entries marked `empty_layer` made no layer, the others
 * map in order onto the layers. When history and layers disagree in count (squashed or hand-made
 * images), entries still map in order and the extra layers get none.
 */
export function createdByPerLayer(config: ImageConfig, layerCount: number): readonly (string | undefined)[] {
  const steps = (config.history ?? []).filter((h) => h.empty_layer !== true);
  return Array.from({ length: layerCount }, (_, i) => steps[i]?.created_by);
}
