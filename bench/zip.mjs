// A plain (non-ZIP64) deflate zip writer for the benches' OSV exports (osv.dev's all.zip shape):
// local headers, data, central directory, end record; entries are written as they come.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Writes the [name, Buffer] entries (any iterable, e.g. a generator) to a zip at `path`.
 * @returns {number} the zip's size in bytes
 */
export function writeZip(path, entries) {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  const central = [];
  let offset = 0;
  let count = 0;
  const put = (buf) => {
    writeSync(fd, buf);
    offset += buf.length;
  };
  for (const [n, data] of entries) {
    const name = Buffer.from(n);
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(packed.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    put(local);
    put(name);
    put(packed);
    count += 1;
  }
  const cdStart = offset;
  for (const b of central) put(b);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(offset - cdStart, 12);
  end.writeUInt32LE(cdStart, 16);
  put(end);
  closeSync(fd);
  return offset;
}
