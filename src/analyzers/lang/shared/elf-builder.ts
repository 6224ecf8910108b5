/**
 * Test helper: a 64-bit little-endian ELF file with `count` section headers, each named at
 * `nameOffset(i)` inside a string table of `table` bytes that section `shstrndx` points at.
 */
export function elfWithSections(
  count: number,
  table: Buffer,
  nameOffset: (i: number) => number,
  shstrndx = 0,
): Buffer {
  const header = 64;
  const entry = 64;
  const tableAt = header + count * entry;
  const buf = Buffer.alloc(tableAt + table.length);
  buf.write('\x7fELF', 0, 'latin1');
  buf[4] = 2; // 64-bit
  buf[5] = 1; // little-endian
  buf.writeBigUInt64LE(BigInt(header), 0x28);
  buf.writeUInt16LE(entry, 0x3a);
  buf.writeUInt16LE(count, 0x3c);
  buf.writeUInt16LE(shstrndx, 0x3e);
  for (let i = 0; i < count; i++) {
    const at = header + i * entry;
    buf.writeUInt32LE(nameOffset(i), at);
    buf.writeUInt32LE(1, at + 4);
    if (i === shstrndx) {
      buf.writeBigUInt64LE(BigInt(tableAt), at + 24);
      buf.writeBigUInt64LE(BigInt(table.length), at + 32);
    }
  }
  table.copy(buf, tableAt);
  return buf;
}
