import { describe, expect, it } from 'vitest';
import { readElf } from '../shared/elf.js';
import { readGoBuildInfo } from './buildinfo.js';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const SENTINEL = Buffer.alloc(16, 0x30);
const MOD = 'path\texample.com/old\nmod\texample.com/old\tv1.0.0\t\ndep\tgolang.org/x/sys\tv0.1.0\th1:x\n';

/**
 * An ELF64 file laid out as Go 1.13-1.17 wrote it: `.go.buildinfo` holds two pointers to string
 * headers `{ptr, len}` in `.data` (no Go toolchain here can still produce this layout).
 */
function pointerLayoutElf(bigEndian: boolean): Buffer {
  const w64 = (b: Buffer, v: bigint, at: number) =>
    bigEndian ? b.writeBigUInt64BE(v, at) : b.writeBigUInt64LE(v, at);
  const w32 = (b: Buffer, v: number, at: number) =>
    bigEndian ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at);
  const w16 = (b: Buffer, v: number, at: number) =>
    bigEndian ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at);
  const version = Buffer.from('go1.16.15');
  const mod = Buffer.concat([SENTINEL, Buffer.from(MOD), SENTINEL]);
  const info = Buffer.alloc(32);
  MAGIC.copy(info);
  info[14] = 8;
  info[15] = bigEndian ? 1 : 0;
  w64(info, 0x2000n, 16);
  w64(info, 0x2010n, 24);
  const data = Buffer.alloc(0x20);
  w64(data, 0x2020n, 0);
  w64(data, BigInt(version.length), 8);
  w64(data, 0x2020n + BigInt(version.length), 16);
  w64(data, BigInt(mod.length), 24);
  const dataAll = Buffer.concat([data, version, mod]);
  const names = Buffer.from('\0.go.buildinfo\0.data\0.shstrtab\0');
  const infoOff = 64;
  const dataOff = infoOff + info.length;
  const namesOff = dataOff + dataAll.length;
  const shoff = namesOff + names.length;
  const header = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, bigEndian ? 2 : 1, 1]).copy(header);
  w64(header, BigInt(shoff), 0x28);
  w16(header, 64, 0x3a);
  w16(header, 4, 0x3c);
  w16(header, 3, 0x3e);
  const section = (name: number, addr: number, off: number, size: number) => {
    const s = Buffer.alloc(64);
    w32(s, name, 0);
    w32(s, 1, 4);
    w64(s, BigInt(addr), 16);
    w64(s, BigInt(off), 24);
    w64(s, BigInt(size), 32);
    return s;
  };
  return Buffer.concat([
    header,
    info,
    dataAll,
    names,
    Buffer.alloc(64),
    section(1, 0x1000, infoOff, info.length),
    section(15, 0x2000, dataOff, dataAll.length),
    section(21, 0, namesOff, names.length),
  ]);
}

describe('Go build info, pointer layout (Go 1.13-1.17)', () => {
  it.each([
    ['little-endian', false],
    ['big-endian', true],
  ])('follows the pointers through the section map (%s)', (_, big) => {
    const elf = pointerLayoutElf(big);
    expect(readGoBuildInfo(elf, readElf(elf))).toEqual({ goVersion: 'go1.16.15', modInfo: MOD });
  });

  it('reports a pointer into unmapped memory', () => {
    const elf = pointerLayoutElf(false);
    elf.writeBigUInt64LE(0x9000n, 64 + 16);
    expect(() => readGoBuildInfo(elf, readElf(elf))).toThrow(/not mapped/);
  });
});
