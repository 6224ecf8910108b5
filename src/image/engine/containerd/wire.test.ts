import { describe, expect, it } from 'vitest';
import { getImageResponse, readContentRequest, readContentResponse } from './messages.js';
import { decodeMessage, encodeMessage, intField, stringField } from './wire.js';

/** A length-delimited field, written out by hand (the encoder under test is not used for inputs). */
function ld(no: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(no << 3) | 2, bytes.length]), bytes]);
}

describe('containerd protobuf wire format', () => {
  it('encodes strings and int64 as protoc does', () => {
    // protoc --encode: digest: "sha256:ab" offset: 300 -> 0a 09 "sha256:ab" 10 ac 02
    expect(
      encodeMessage([
        { no: 1, type: 'string', value: 'sha256:ab' },
        { no: 2, type: 'int64', value: 300 },
      ]).toString('hex'),
    ).toBe(`0a09${Buffer.from('sha256:ab').toString('hex')}10ac02`);
  });

  it('leaves zero values out, as proto3 does', () => {
    expect(readContentRequest('')).toEqual(Buffer.alloc(0));
  });

  it('decodes varints past 32 bits and skips fixed-width fields it does not know', () => {
    const size = 5_000_000_000;
    const msg = Buffer.concat([
      Buffer.from([0x09, 1, 2, 3, 4, 5, 6, 7, 8]), // field 1, fixed64: skipped
      encodeMessage([{ no: 3, type: 'int64', value: size }]),
      Buffer.from([0x25, 1, 2, 3, 4]), // field 4, fixed32: skipped
      ld(2, Buffer.from('x')),
    ]);
    const fields = decodeMessage(msg);
    expect(intField(fields, 3)).toBe(size);
    expect(stringField(fields, 2)).toBe('x');
    expect(fields.has(1)).toBe(false);
  });

  it('reads an Images.Get answer: the image name and its target descriptor', () => {
    const descriptor = Buffer.concat([
      ld(1, Buffer.from('application/vnd.oci.image.index.v1+json')),
      ld(2, Buffer.from('sha256:00')),
      Buffer.from([0x18, 0xe8, 0x07]), // size 1000
      ld(5, ld(1, Buffer.from('k'))), // annotations: ignored
    ]);
    const image = Buffer.concat([ld(1, Buffer.from('docker.io/library/app:1')), ld(3, descriptor)]);
    expect(getImageResponse(ld(1, image))).toEqual({
      name: 'docker.io/library/app:1',
      target: { mediaType: 'application/vnd.oci.image.index.v1+json', digest: 'sha256:00', size: 1000 },
    });
  });

  it('reads a Content.Read chunk', () => {
    const msg = Buffer.concat([Buffer.from([0x08, 0x80, 0x01]), ld(2, Buffer.from('abc'))]);
    expect(readContentResponse(msg)).toEqual({ offset: 128, data: Buffer.from('abc') });
  });

  it.each([
    ['a truncated varint', Buffer.from([0x08, 0x80])],
    ['a field running past the end', Buffer.from([0x12, 0x05, 0x61])],
    ['an unknown wire type', Buffer.from([0x0b])],
  ])('refuses %s', (_, bytes) => {
    expect(() => decodeMessage(bytes)).toThrow(expect.objectContaining({ code: 'ENGINE_ERROR' }));
  });
});
