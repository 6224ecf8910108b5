import type { Descriptor } from '../../manifest.js';
import { bytesField, decodeMessage, encodeMessage, intField, stringField } from './wire.js';

/** containerd's gRPC methods Strata calls. */
export const GET_IMAGE = '/containerd.services.images.v1.Images/Get';
export const READ_CONTENT = '/containerd.services.content.v1.Content/Read';

/** GetImageRequest { string name = 1; } */
export function getImageRequest(name: string): Buffer {
  return encodeMessage([{ no: 1, type: 'string', value: name }]);
}

/**
 * GetImageResponse { Image image = 1; }, Image { string name = 1; Descriptor target = 3; },
 * Descriptor { string media_type = 1; string digest = 2; int64 size = 3; }.
 */
export function getImageResponse(buf: Buffer): { name: string; target?: Descriptor } | undefined {
  const image = bytesField(decodeMessage(buf), 1);
  if (!image) return undefined;
  const fields = decodeMessage(image);
  const target = bytesField(fields, 3);
  if (!target) return { name: stringField(fields, 1) };
  const d = decodeMessage(target);
  return {
    name: stringField(fields, 1),
    target: { mediaType: stringField(d, 1), digest: stringField(d, 2), size: intField(d, 3) },
  };
}

/** ReadContentRequest { string digest = 1; int64 offset = 2; int64 size = 3; } (size 0: to the end) */
export function readContentRequest(digest: string): Buffer {
  return encodeMessage([{ no: 1, type: 'string', value: digest }]);
}

/** ReadContentResponse { int64 offset = 1; bytes data = 2; } */
export function readContentResponse(buf: Buffer): { offset: number; data: Buffer } {
  const fields = decodeMessage(buf);
  return { offset: intField(fields, 1), data: bytesField(fields, 2) ?? Buffer.alloc(0) };
}
