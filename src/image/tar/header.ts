import { TarError } from './errors.js';

/**
 * One parser for 512-byte tar headers (POSIX ustar, GNU and v7), shared by the streaming layer
 * walker and the archive index so both accept and refuse the same archives.
 */
export const TAR_BLOCK = 512;

/** What a header's type flag says the entry is. */
export type TarFlagKind =
  | 'file'
  | 'dir'
  | 'symlink'
  | 'hardlink'
  | 'other' // character/block devices, FIFOs
  | 'pax' // `x`: PAX extended header for the next entry
  | 'pax-global' // `g`: global PAX header (applies to nothing Strata reads)
  | 'gnu-longname' // `L`
  | 'gnu-longlink' // `K`
  | 'sparse' // `S`: GNU sparse file
  | 'unknown';

/** A header block as written, before PAX or GNU long-name records are applied. */
export interface RawTarHeader {
  /** the name with the ustar prefix joined */
  readonly name: string;
  readonly mode: number;
  /** the declared size of the body that follows the header */
  readonly size: number;
  readonly flag: string;
  readonly kind: TarFlagKind;
  readonly linkName: string;
}

function cstring(b: Buffer, start: number, end: number): string {
  const nul = b.indexOf(0, start);
  return b.toString('utf8', start, nul >= start && nul < end ? nul : end);
}

/**
 * A numeric field: octal digits (space/NUL padded), or GNU base-256 (first byte 0x80, big-endian)
 * for values too big for octal. Negative base-256 values and values over 2^53 are refused.
 */
export function tarNumber(b: Buffer, start: number, end: number, field: string): number {
  const first = b[start]!;
  if (first & 0x80) {
    if (first === 0xff) throw new TarError('BAD_NUMBER', `negative ${field} in a tar header`);
    let n = first & 0x7f;
    for (let i = start + 1; i < end; i++) {
      n = n * 256 + b[i]!;
      if (!Number.isSafeInteger(n)) throw new TarError('BAD_NUMBER', `${field} out of range in a tar header`);
    }
    return n;
  }
  // the usual field: spaces, octal digits, then spaces up to a NUL or the end — read in place
  let i = start;
  while (i < end && b[i] === 0x20) i++;
  let n = 0;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x37) break;
    n = n * 8 + (c - 0x30);
  }
  while (i < end && b[i] === 0x20) i++;
  if (i === end || b[i] === 0) return n;
  // anything else (tabs, stray bytes): the general reading decides, and refuses what is bad
  const text = b.toString('latin1', start, end).replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarError('BAD_NUMBER', `bad ${field} field in a tar header`);
  return Number.parseInt(text, 8);
}

/** The checksum as unsigned bytes (POSIX) or signed bytes (some old writers), as Go's reader accepts. */
export function checksumOk(h: Buffer): boolean {
  // the checksum field itself counts as eight spaces
  let unsigned = 8 * 32;
  let high = 0;
  for (let i = 0; i < 148; i++) {
    const v = h[i]!;
    unsigned += v;
    if (v > 127) high += 1;
  }
  for (let i = 156; i < TAR_BLOCK; i++) {
    const v = h[i]!;
    unsigned += v;
    if (v > 127) high += 1;
  }
  const signed = unsigned - 256 * high;
  const want = tarNumber(h, 148, 156, 'checksum');
  return want === unsigned || want === signed;
}

export function isZeroBlock(b: Buffer): boolean {
  for (let i = 0; i < TAR_BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

/** The kind a type flag gives an entry named `name` (old writers mark directories by a trailing `/`). */
export function flagKind(flag: string, name: string): TarFlagKind {
  switch (flag) {
    case '0':
    case '\0':
    case '7':
      return name.endsWith('/') ? 'dir' : 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
    case 'D':
      return 'dir';
    case '3':
    case '4':
    case '6':
      return 'other';
    case 'x':
      return 'pax';
    case 'g':
      return 'pax-global';
    case 'L':
      return 'gnu-longname';
    case 'K':
      return 'gnu-longlink';
    case 'S':
      return 'sparse';
    default:
      return 'unknown';
  }
}

/** Parses one header block (checksum verified first); throws TarError when it is malformed. */
export function parseTarHeader(block: Buffer): RawTarHeader {
  if (!checksumOk(block)) throw new TarError('BAD_CHECKSUM', 'bad tar header checksum');
  const flag = String.fromCharCode(block[156]!);
  // POSIX ustar (magic "ustar\0") has a name prefix; GNU ("ustar  \0") keeps other fields there
  const ustar =
    block[257] === 0x75 && // u
    block[258] === 0x73 && // s
    block[259] === 0x74 && // t
    block[260] === 0x61 && // a
    block[261] === 0x72 && // r
    block[262] === 0;
  let name = cstring(block, 0, 100);
  if (ustar && block[345] !== 0) name = `${cstring(block, 345, 500)}/${name}`;
  return {
    name,
    mode: tarNumber(block, 100, 108, 'mode'),
    size: tarNumber(block, 124, 136, 'size'),
    flag,
    kind: flagKind(flag, name),
    linkName: cstring(block, 157, 257),
  };
}

/** True when `head` starts with a tar header (ustar magic, or a valid v7 checksum). */
export function looksLikeTar(head: Buffer): boolean {
  if (head.length < TAR_BLOCK) return false;
  if (head.toString('latin1', 257, 262) === 'ustar') return true;
  try {
    return !isZeroBlock(head) && checksumOk(head);
  } catch {
    return false;
  }
}
