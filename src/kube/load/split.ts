/**
 * Splits a YAML stream into its documents before any parsing, so each document is parsed (and
 * capped) alone, as kubectl's YAMLReader does. In valid YAML a document marker (`---` or `...`
 * followed by a space, a tab or the line end) at column 0 is always a marker: content lines of
 * block scalars are indented and the spec forbids markers inside flow and quoted scalars
 * (`c-forbidden`), so no line needs a parser to be classified.
 *
 * A chunk starts at its `---` line (kept: `--- !tag`, `--- |` and `--- # note` stay the parser's
 * to read) and runs to the next `---` or past a `...` line. A `---` ends the current chunk only
 * once it holds content: leading comments and `%YAML`/`%TAG` directives stay with the document
 * they precede. A chunk holding only comments or blank lines parses as an empty document.
 */
export interface YamlChunk {
  /** byte offsets into the stream: [start, end) */
  readonly start: number;
  readonly end: number;
  /** 1-based line of the chunk's first byte in the stream */
  readonly line: number;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const PERCENT = 0x25;
const DASH = 0x2d;
const DOT = 0x2e;

/** `---` or `...` at `at`, followed by a space, a tab or the line end. */
function marker(bytes: Uint8Array, at: number, end: number, char: number): boolean {
  if (end - at < 3 || bytes[at] !== char || bytes[at + 1] !== char || bytes[at + 2] !== char) return false;
  const next = at + 3 < end ? bytes[at + 3] : LF;
  return next === SPACE || next === TAB || next === LF || next === CR;
}

/** A line that is blank or only a comment (it gives a chunk no content). */
function isBlankOrComment(bytes: Uint8Array, at: number, end: number): boolean {
  for (let i = at; i < end; i++) {
    const b = bytes[i];
    if (b === SPACE || b === TAB || b === CR) continue;
    return b === HASH;
  }
  return true;
}

/** The UTF-8 byte-order mark a stream may begin with; it belongs to no document. */
export function bomLength(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/** The documents of a UTF-8 YAML stream, as byte ranges with their first line, in order. */
export function* splitYamlDocuments(bytes: Uint8Array): Generator<YamlChunk> {
  let start = bomLength(bytes);
  let startLine = 1;
  let hasContent = false;
  let line = 1;
  let at = start;
  while (at < bytes.length) {
    const nl = bytes.indexOf(LF, at);
    const eol = nl === -1 ? bytes.length : nl;
    const next = nl === -1 ? bytes.length : nl + 1;
    if (marker(bytes, at, eol, DASH)) {
      if (hasContent) {
        yield { start, end: at, line: startLine };
        start = at;
        startLine = line;
      }
      hasContent = true;
    } else if (marker(bytes, at, eol, DOT)) {
      yield { start, end: next, line: startLine };
      start = next;
      startLine = line + 1;
      hasContent = false;
    } else if (!hasContent && bytes[at] === PERCENT) {
      // a directive: it belongs to the document its `---` opens
    } else if (!hasContent && !isBlankOrComment(bytes, at, eol)) {
      hasContent = true;
    }
    at = next;
    line++;
  }
  if (start < bytes.length) yield { start, end: bytes.length, line: startLine };
}
