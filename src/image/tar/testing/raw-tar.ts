/**
 * Hand-written tar blocks for tests that need archives no well-behaved writer produces
 * (bad checksums, base-256 sizes, malformed PAX records). Tests only.
 */
export interface RawEntry {
  readonly name: string;
  /** the body written after the header (padded to a block) */
  readonly body?: string | Buffer;
  /** type flag; default `0` (regular file) */
  readonly flag?: string;
  /** the 12-byte size field as written; default: the body length in octal */
  readonly sizeField?: Buffer;
  /** write a wrong checksum */
  readonly badChecksum?: boolean;
}

function field(block: Buffer, text: string, start: number, length: number): void {
  block.write(text.slice(0, length), start, length, 'latin1');
}

/** A 12-byte GNU base-256 number field. */
export function base256(value: bigint): Buffer {
  const out = Buffer.alloc(12);
  let v = value;
  for (let i = 11; i > 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  out[0] = 0x80 | Number(v & 0x7fn);
  return out;
}

export function rawHeader(e: RawEntry): Buffer {
  const body = typeof e.body === 'string' ? Buffer.from(e.body) : (e.body ?? Buffer.alloc(0));
  const h = Buffer.alloc(512);
  field(h, e.name, 0, 100);
  field(h, '0000644\0', 100, 8);
  field(h, '0000000\0', 108, 8);
  field(h, '0000000\0', 116, 8);
  if (e.sizeField) e.sizeField.copy(h, 124);
  else field(h, `${body.length.toString(8).padStart(11, '0')}\0`, 124, 12);
  field(h, '00000000000\0', 136, 12);
  h[156] = (e.flag ?? '0').charCodeAt(0);
  field(h, 'ustar\x0000', 257, 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  if (e.badChecksum) sum += 1;
  field(h, `${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** Headers and padded bodies, then the two zero blocks that end an archive. */
export function rawTar(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(rawHeader(e));
    const body = typeof e.body === 'string' ? Buffer.from(e.body) : (e.body ?? Buffer.alloc(0));
    parts.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A well-formed PAX record: its length counts itself. */
export function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(rest) + 1;
  while (String(len).length + Buffer.byteLength(rest) !== len) len += 1;
  return `${len}${rest}`;
}
