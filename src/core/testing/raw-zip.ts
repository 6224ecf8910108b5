import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Zip archives written byte by byte, for tests that need what no zip library writes: entries that
 * share their data (an overlapping zip bomb), sizes that lie, stored and deflated entries mixed.
 */
export interface RawZipEntry {
  readonly name: string;
  readonly data: Buffer | string;
  /** 0 stored, 8 deflated (default) */
  readonly method?: 0 | 8;
  /** the uncompressed size the headers declare (default: the truth) */
  readonly declaredSize?: number;
  /** the CRC-32 the headers declare (default: the truth) */
  readonly crc?: number;
}

export interface RawZipOptions {
  /** extra central-directory records pointing at the local header of entry `sameAs` (overlap) */
  readonly aliases?: readonly { readonly name: string; readonly sameAs: number }[];
}

interface Local {
  readonly name: Buffer;
  readonly method: number;
  readonly crc: number;
  readonly compressed: number;
  readonly size: number;
  readonly offset: number;
}

export function rawZip(entries: readonly RawZipEntry[], options: RawZipOptions = {}): Buffer {
  const parts: Buffer[] = [];
  const locals: Local[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data) : e.data;
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const local: Local = {
      name: Buffer.from(e.name),
      method,
      crc: e.crc ?? crc32(data),
      compressed: body.length,
      size: e.declaredSize ?? data.length,
      offset,
    };
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(method, 8);
    h.writeUInt32LE(local.crc >>> 0, 14);
    h.writeUInt32LE(local.compressed, 18);
    h.writeUInt32LE(local.size, 22);
    h.writeUInt16LE(local.name.length, 26);
    parts.push(h, local.name, body);
    offset += h.length + local.name.length + body.length;
    locals.push(local);
  }
  const central = [
    ...locals,
    ...(options.aliases ?? []).map((a) => ({ ...locals[a.sameAs]!, name: Buffer.from(a.name) })),
  ];
  const cdStart = offset;
  for (const l of central) {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(l.method, 10);
    c.writeUInt32LE(l.crc >>> 0, 16);
    c.writeUInt32LE(l.compressed, 20);
    c.writeUInt32LE(l.size, 24);
    c.writeUInt16LE(l.name.length, 28);
    c.writeUInt32LE(l.offset, 42);
    parts.push(c, l.name);
    offset += c.length + l.name.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length, 8);
  end.writeUInt16LE(central.length, 10);
  end.writeUInt32LE(offset - cdStart, 12);
  end.writeUInt32LE(cdStart, 16);
  parts.push(end);
  return Buffer.concat(parts);
}
