import { ImageError } from '../../errors.js';

/**
 * The protobuf wire format, as far as containerd's few messages need it: strings, int64 and
 * nested messages out; varints and length-delimited fields in, everything else skipped. The
 * field numbers are containerd's published API (api/services/images/v1, content/v1, types).
 */
export type FieldValue = { readonly no: number } & (
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'int64'; readonly value: number }
);

function varint(n: bigint): Buffer {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return Buffer.from(out);
}

/** Encodes a message of string and int64 fields (zero values are left out, as proto3 does). */
export function encodeMessage(fields: readonly FieldValue[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of fields) {
    if (f.type === 'string') {
      if (f.value === '') continue;
      const bytes = Buffer.from(f.value, 'utf8');
      parts.push(varint(BigInt((f.no << 3) | 2)), varint(BigInt(bytes.length)), bytes);
    } else {
      if (f.value === 0) continue;
      parts.push(varint(BigInt(f.no << 3)), varint(BigInt(f.value)));
    }
  }
  return Buffer.concat(parts);
}

/** The fields of one decoded message: varints as bigint, length-delimited fields as bytes. */
export type DecodedFields = ReadonlyMap<number, readonly (bigint | Buffer)[]>;

function malformed(what: string): ImageError {
  return new ImageError('ENGINE_ERROR', `containerd: malformed protobuf message (${what})`);
}

/** Decodes one message; a truncated or malformed one is an ENGINE_ERROR, never a partial result. */
export function decodeMessage(buf: Buffer): DecodedFields {
  const fields = new Map<number, (bigint | Buffer)[]>();
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (pos >= buf.length) throw malformed('truncated varint');
      const byte = buf[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw malformed('varint longer than 10 bytes');
  };
  while (pos < buf.length) {
    const key = readVarint();
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    let value: bigint | Buffer | undefined;
    switch (wire) {
      case 0:
        value = readVarint();
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const len = Number(readVarint());
        if (pos + len > buf.length) throw malformed(`field ${no} runs past the end`);
        value = buf.subarray(pos, pos + len);
        pos += len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw malformed(`wire type ${wire} of field ${no}`);
    }
    if (pos > buf.length) throw malformed(`field ${no} runs past the end`);
    if (value !== undefined) fields.set(no, [...(fields.get(no) ?? []), value]);
  }
  return fields;
}

/** The last value of a string field ('' when absent, as proto3). */
export function stringField(fields: DecodedFields, no: number): string {
  const v = fields.get(no)?.at(-1);
  return Buffer.isBuffer(v) ? v.toString('utf8') : '';
}

/** The last value of an int64 field (0 when absent). */
export function intField(fields: DecodedFields, no: number): number {
  const v = fields.get(no)?.at(-1);
  return typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : 0;
}

/** The last value of a bytes or nested-message field. */
export function bytesField(fields: DecodedFields, no: number): Buffer | undefined {
  const v = fields.get(no)?.at(-1);
  return Buffer.isBuffer(v) ? v : undefined;
}
