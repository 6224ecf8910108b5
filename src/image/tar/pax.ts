import { TarError } from './errors.js';
import { flagKind, type RawTarHeader } from './header.js';

/** PAX, GNU long-name and long-link bodies are small; a huge one is an attack. */
export const MAX_TAR_META = 1 << 20;

/**
 * PAX extended header records: `LEN key=value\n`, LEN the decimal length of the whole record.
 * Any malformed record refuses the whole header (a reader that skipped it would apply the
 * next entry's name or size wrongly).
 */
export function parsePaxRecords(body: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let off = 0;
  while (off < body.length) {
    const space = body.indexOf(0x20, off);
    const digits = space === -1 ? '' : body.toString('latin1', off, space);
    if (!/^[1-9][0-9]{0,7}$/.test(digits)) throw new TarError('BAD_PAX', 'bad PAX record length');
    const len = Number(digits);
    const end = off + len;
    if (end > body.length || end <= space + 1)
      throw new TarError('BAD_PAX', 'PAX record length past its header');
    if (body[end - 1] !== 0x0a) throw new TarError('BAD_PAX', 'PAX record not ended by a newline');
    const record = body.toString('utf8', space + 1, end - 1);
    const eq = record.indexOf('=');
    if (eq <= 0) throw new TarError('BAD_PAX', 'PAX record without a key');
    out.set(record.slice(0, eq), record.slice(eq + 1));
    off = end;
  }
  return out;
}

/** The PAX and GNU records that precede an entry and change its header. */
export interface TarExtensions {
  readonly pax?: ReadonlyMap<string, string>;
  readonly longName?: string;
  readonly longLink?: string;
}

export interface TarEntryHeader extends RawTarHeader {
  /** true when a PAX record names GNU sparse data */
  readonly sparse: boolean;
}

/** The header as the entry's extensions amend it: PAX wins over GNU long names over the block. */
export function applyExtensions(h: RawTarHeader, ext: TarExtensions): TarEntryHeader {
  let { name, linkName, size } = h;
  if (ext.longName !== undefined) name = ext.longName;
  if (ext.longLink !== undefined) linkName = ext.longLink;
  const pax = ext.pax;
  if (pax) {
    name = pax.get('path') ?? name;
    linkName = pax.get('linkpath') ?? linkName;
    const paxSize = pax.get('size');
    if (paxSize !== undefined) {
      if (!/^[0-9]{1,16}$/.test(paxSize) || !Number.isSafeInteger(Number(paxSize)))
        throw new TarError('BAD_PAX', 'bad PAX size');
      size = Number(paxSize);
    }
  }
  const sparse =
    h.kind === 'sparse' || (pax !== undefined && [...pax.keys()].some((k) => k.startsWith('GNU.sparse.')));
  return { ...h, name, linkName, size, kind: flagKind(h.flag, name), sparse };
}

/**
 * How many data bytes follow the header. Links, devices, FIFOs and directories have none whatever
 * their size field says (as Go's archive/tar reads them); everything else carries `size` bytes.
 */
export function tarBodySize(h: Pick<RawTarHeader, 'flag' | 'size'>): number {
  return /^[1-6]$/.test(h.flag) ? 0 : h.size;
}
