import { CancelledError } from '../core/errors.js';
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
      if (signal?.aborted) throw new CancelledError();
      const content = await open(index, signal);
      if (content.kind === 'tar' && signal) cancelOnAbort(content.stream, signal);
      return content;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await close?.();
    },
  };
}

/** Ends a layer stream with CANCELLED when the scan is aborted, whatever the source. */
function cancelOnAbort(
  stream: NodeJS.ReadableStream & { destroy(err?: Error): void },
  signal: AbortSignal,
): void {
  const onAbort = () => stream.destroy(new CancelledError());
  if (signal.aborted) {
    onAbort();
    return;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  const off = () => signal.removeEventListener('abort', onAbort);
  stream.once('end', off);
  stream.once('close', off);
  stream.once('error', off);
}
