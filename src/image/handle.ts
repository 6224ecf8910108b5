import type { ImageConfig, ImageHandle, LayerContent, LayerDescriptor } from './types.js';

export interface HandleParts {
  readonly name: string;
  readonly digest?: string;
  readonly indexDigest?: string;
  readonly repository?: string;
  readonly config: ImageConfig;
  readonly configDigest?: string;
  readonly rawConfig?: Buffer;
  readonly manifestMediaType?: string;
  readonly layers: readonly LayerDescriptor[];
  readonly open: (index: number, signal?: AbortSignal) => Promise<LayerContent>;
  readonly close?: () => Promise<void>;
}

/** Builds the ImageHandle every source returns; `openLayer` refuses indexes outside the image. */
export function createHandle(parts: HandleParts): ImageHandle {
  const { open, close, ...fields } = parts;
  let closed = false;
  return {
    ...fields,
    async openLayer(index: number, signal?: AbortSignal): Promise<LayerContent> {
      if (closed) throw new Error(`${parts.name}: image handle is closed`);
      if (!Number.isInteger(index) || index < 0 || index >= parts.layers.length) {
        throw new RangeError(`${parts.name}: layer index ${index} outside 0..${parts.layers.length - 1}`);
      }
      signal?.throwIfAborted();
      return open(index, signal);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await close?.();
    },
  };
}
