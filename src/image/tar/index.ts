export { TarError, type TarErrorCode } from './errors.js';
export {
  checksumOk,
  flagKind,
  isZeroBlock,
  looksLikeTar,
  parseTarHeader,
  type RawTarHeader,
  TAR_BLOCK,
  type TarFlagKind,
  tarNumber,
} from './header.js';
export {
  applyExtensions,
  MAX_TAR_META,
  parsePaxRecords,
  type TarEntryHeader,
  type TarExtensions,
  tarBodySize,
} from './pax.js';
