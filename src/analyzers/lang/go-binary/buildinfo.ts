import { type ElfFile, readAt, sectionData } from '../shared/elf.js';
import { malformed } from '../shared/errors.js';

/** What the Go toolchain embeds in every module-aware binary (`go version -m` prints it). */
export interface GoBuildInfo {
  /** `go1.22.4` */
  readonly goVersion: string;
  /** the module info text: `path`, `mod`, `dep`, `=>` and `build` lines */
  readonly modInfo: string;
}

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const FLAG_BIG_ENDIAN = 1;
const FLAG_VERSION_INLINE = 2;

/**
 * Finds the build info blob (section `.go.buildinfo`, or the 16-byte aligned magic anywhere when
 * section headers were stripped) and decodes both layouts: inline varint strings (Go >= 1.18)
 * and pointers to string headers (Go 1.13-1.17). Undefined when the binary is not a Go binary.
 */
export function readGoBuildInfo(buf: Buffer, elf: ElfFile): GoBuildInfo | undefined {
  const data = sectionData(buf, elf, '.go.buildinfo') ?? scanForMagic(buf);
  if (!data || data.length < 32 || !data.subarray(0, 14).equals(MAGIC)) return undefined;
  const ptrSize = data[14]!;
  const flags = data[15]!;
  if (flags & FLAG_VERSION_INLINE) {
    const [goVersion, rest] = varintString(data.subarray(32));
    const [mod] = varintString(rest);
    return { goVersion, modInfo: stripSentinels(mod) };
  }
  if (ptrSize !== 4 && ptrSize !== 8) throw malformed(`Go build info has pointer size ${ptrSize}`);
  const big = (flags & FLAG_BIG_ENDIAN) !== 0;
  const ptr = (b: Buffer, at: number): bigint => {
    if (at + ptrSize > b.length) throw malformed('Go build info is truncated');
    if (ptrSize === 8) return big ? b.readBigUInt64BE(at) : b.readBigUInt64LE(at);
    return BigInt(big ? b.readUInt32BE(at) : b.readUInt32LE(at));
  };
  const stringAt = (addr: bigint): string => {
    if (addr === 0n) return '';
    const header = readAt(buf, elf, addr, ptrSize * 2);
    const length = Number(ptr(header, ptrSize));
    if (length === 0) return '';
    if (length > 16 * 1024 * 1024) throw malformed('Go build info string is implausibly long');
    return readAt(buf, elf, ptr(header, 0), length).toString('utf8');
  };
  return {
    goVersion: stringAt(ptr(data, 16)),
    modInfo: stripSentinels(stringAt(ptr(data, 16 + ptrSize))),
  };
}

function scanForMagic(buf: Buffer): Buffer | undefined {
  for (let at = buf.indexOf(MAGIC); at >= 0; at = buf.indexOf(MAGIC, at + 1)) {
    if (at % 16 === 0) return buf.subarray(at, at + 64 * 1024);
  }
  return undefined;
}

function varintString(b: Buffer): [string, Buffer] {
  let length = 0;
  let shift = 0;
  let i = 0;
  for (;;) {
    const byte = b[i++];
    if (byte === undefined || shift > 28) throw malformed('Go build info has a bad string length');
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
    shift += 7;
  }
  if (i + length > b.length) throw malformed('Go build info is truncated');
  return [b.toString('utf8', i, i + length), b.subarray(i + length)];
}

/** The module info is wrapped in 16-byte sentinels; without them (no modules) it is empty. */
function stripSentinels(mod: string): string {
  if (mod.length >= 33 && mod[mod.length - 17] === '\n') return mod.slice(16, -16);
  return '';
}
