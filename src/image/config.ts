import { defined, tolerant, validEntries, validItems, z } from '../core/schema.js';
import { ImageError } from './errors.js';
import { DigestText, readImageJson } from './read-json.js';
import type { ImageConfig } from './types.js';

/** Configs with a long history can be big, but never this big. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

// Docker and OCI writers disagree on details: a field of the wrong shape is dropped, not fatal;
// only rootfs.diff_ids, which ties the config to the layers, must be exact.
const text = tolerant(z.string());
const strings = tolerant(validItems(z.string()));
const nullableStrings = tolerant(z.union([z.null(), validItems(z.string())]));

const RuntimeConfig = z
  .object({
    User: text,
    Env: strings,
    Entrypoint: nullableStrings,
    Cmd: nullableStrings,
    ExposedPorts: tolerant(z.record(z.string(), z.unknown())),
    Labels: tolerant(z.union([z.null(), validEntries(z.string())])),
    WorkingDir: text,
    Healthcheck: tolerant(z.object({ Test: strings }).transform(defined)),
  })
  .transform(defined);

const Rootfs = z.object({
  type: text.transform((t) => t ?? 'layers'),
  diff_ids: z.array(DigestText),
});

const HistoryEntry = z
  .object({ created: text, created_by: text, comment: text, empty_layer: tolerant(z.boolean()) })
  .transform(defined);

const ConfigDocument = z
  .object({
    architecture: text,
    os: text,
    variant: text,
    created: text,
    config: tolerant(RuntimeConfig),
    rootfs: Rootfs.optional(),
    history: tolerant(validItems(HistoryEntry)),
  })
  .transform(defined);

/** Parses the image config JSON (Docker or OCI) into the fields Strata reads. */
export function parseImageConfig(bytes: Uint8Array, where: string): ImageConfig {
  return readImageJson(ConfigDocument, bytes, where, 'image config', 'INVALID_CONFIG');
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
