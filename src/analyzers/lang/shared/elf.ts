import { malformed } from './errors.js';

/** One section header of an ELF file: enough to find a named section and map addresses to file offsets. */
export interface ElfSection {
  readonly name: string;
  readonly type: number;
  readonly addr: bigint;
  readonly offset: number;
  readonly size: number;
}

export interface ElfFile {
  readonly bits: 32 | 64;
  readonly littleEndian: boolean;
  readonly sections: readonly ElfSection[];
}

const SHT_NOBITS = 8;
const MAX_SECTIONS = 65_535;

export function isElf(buf: Buffer): boolean {
  return buf.length >= 52 && buf[0] === 0x7f && buf[1] === 0x45 && buf[2] === 0x4c && buf[3] === 0x46;
}

/**
 * The section tables already read, by buffer: the walker hands one file's bytes to every analyzer
 * that wants them (Go and Rust binaries both read an executable's sections), so each is read once.
 */
const parsed = new WeakMap<Buffer, ElfFile>();

/** Reads the section header table; every offset is bounds-checked against the buffer. */
export function readElf(buf: Buffer): ElfFile {
  let elf = parsed.get(buf);
  if (elf === undefined) {
    elf = parseElf(buf);
    parsed.set(buf, elf);
  }
  return elf;
}

function parseElf(buf: Buffer): ElfFile {
  if (!isElf(buf)) throw malformed('not an ELF file');
  const bits = buf[4] === 2 ? 64 : buf[4] === 1 ? 32 : undefined;
  if (!bits || (buf[5] !== 1 && buf[5] !== 2))
    throw malformed('ELF header has an unknown class or byte order');
  const le = buf[5] === 1;
  const r = reader(buf, le);
  const shoff = bits === 64 ? r.u64(0x28) : r.u32(0x20);
  const shentsize = r.u16(bits === 64 ? 0x3a : 0x2e);
  const shnum = r.u16(bits === 64 ? 0x3c : 0x30);
  const shstrndx = r.u16(bits === 64 ? 0x3e : 0x32);
  if (shnum === 0) return { bits, littleEndian: le, sections: [] };
  if (shnum > MAX_SECTIONS || shentsize < (bits === 64 ? 64 : 40))
    throw malformed('ELF section table is invalid');
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    raw.push(
      bits === 64
        ? {
            nameOff: r.u32(at),
            type: r.u32(at + 4),
            addr: r.big64(at + 16),
            offset: r.u64(at + 24),
            size: r.u64(at + 32),
          }
        : {
            nameOff: r.u32(at),
            type: r.u32(at + 4),
            addr: BigInt(r.u32(at + 12)),
            offset: r.u32(at + 16),
            size: r.u32(at + 20),
          },
    );
  }
  const names = raw[shstrndx];
  const sections = raw.map((s) => ({
    name: names ? cString(buf, names.offset + s.nameOff, names.offset + names.size) : '',
    type: s.type,
    addr: s.addr,
    offset: s.offset,
    size: s.size,
  }));
  return { bits, littleEndian: le, sections };
}

/** The bytes of a section present in the file, or undefined when there is no such section. */
export function sectionData(buf: Buffer, elf: ElfFile, name: string): Buffer | undefined {
  const s = elf.sections.find((x) => x.name === name);
  if (!s || s.type === SHT_NOBITS) return undefined;
  if (s.offset + s.size > buf.length) throw malformed(`ELF section ${name} lies past the end of the file`);
  return buf.subarray(s.offset, s.offset + s.size);
}

/** Reads `length` bytes at a virtual address, through the section that maps it. */
export function readAt(buf: Buffer, elf: ElfFile, addr: bigint, length: number): Buffer {
  for (const s of elf.sections) {
    if (s.type === SHT_NOBITS || s.addr === 0n || addr < s.addr) continue;
    const delta = addr - s.addr;
    if (delta + BigInt(length) > BigInt(s.size)) continue;
    const start = s.offset + Number(delta);
    if (start + length > buf.length) break;
    return buf.subarray(start, start + length);
  }
  throw malformed(`ELF address 0x${addr.toString(16)} is not mapped by any section`);
}

/** section names are short (`.go.buildinfo`); a longer one is cut here, never read to the file's end */
const MAX_NAME = 256;

/**
 * The NUL-terminated name at `start`, searched only inside its string table (`end`) and at most
 * MAX_NAME bytes: searching the rest of the file once per section was quadratic (65k sections
 * over a table without NULs hung), and each name could be as long as the table.
 */
function cString(buf: Buffer, start: number, end: number): string {
  const limit = Math.min(end, buf.length, start + MAX_NAME);
  if (start < 0 || start >= limit) return '';
  const stop = buf.subarray(start, limit).indexOf(0);
  return buf.toString('latin1', start, stop < 0 ? limit : start + stop);
}

function reader(buf: Buffer, le: boolean) {
  const check = (at: number, n: number): number => {
    if (at < 0 || at + n > buf.length) throw malformed('ELF header points past the end of the file');
    return at;
  };
  const big64 = (at: number): bigint =>
    le ? buf.readBigUInt64LE(check(at, 8)) : buf.readBigUInt64BE(check(at, 8));
  return {
    u16: (at: number) => (le ? buf.readUInt16LE(check(at, 2)) : buf.readUInt16BE(check(at, 2))),
    u32: (at: number) => (le ? buf.readUInt32LE(check(at, 4)) : buf.readUInt32BE(check(at, 4))),
    big64,
    u64: (at: number) => {
      check(at, 8);
      const lo = le ? buf.readUInt32LE(at) : buf.readUInt32BE(at + 4);
      const hi = le ? buf.readUInt32LE(at + 4) : buf.readUInt32BE(at);
      // over Number.MAX_SAFE_INTEGER (2^53 - 1) exactly when the high word reaches 2^21
      if (hi >= 0x200000) throw malformed('ELF offset is out of range');
      return hi * 0x100000000 + lo;
    },
  };
}
