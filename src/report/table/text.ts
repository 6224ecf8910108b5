import { stripVTControlCharacters } from 'node:util';

/** combining marks, format characters (zero-width joiners, BOM): no column of their own */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
/** East Asian wide and fullwidth characters and emoji shown as emoji: two columns */
const WIDE =
  /^[\p{Emoji_Presentation}\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]$/u;

/** The columns a string takes on a terminal: ANSI escape sequences take none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of stripVTControlCharacters(text)) {
    if (ZERO_WIDTH.test(ch)) continue;
    width += WIDE.test(ch) ? 2 : 1;
  }
  return width;
}

/** `text` followed by spaces up to `width` columns (ANSI-aware). */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * One line of text from an untrusted string (an advisory title, a file name): control characters,
 * escape sequences included, become spaces, so nothing in a cell can move the cursor or recolour.
 */
export function cleanText(text: string): string {
  return text
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The longest prefix of `word` that fits `width` columns. */
function fitPrefix(word: string, width: number): string {
  let out = '';
  for (const ch of word) {
    if (displayWidth(out + ch) > width) break;
    out += ch;
  }
  return out;
}

/** Shortens `text` to `width` columns at a word boundary, with `…`; a single long word is cut. */
export function ellipsize(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  const room = fitPrefix(text, width - 1);
  const space = room.lastIndexOf(' ');
  const cut = space > 0 ? room.slice(0, space) : room;
  return `${cut.trimEnd()}…`;
}

/**
 * Wraps `text` into lines of at most `width` columns, breaking between words (a word longer than a
 * line is split); past `maxLines` the last line ends with `…` at a word boundary.
 */
export function wrapWords(text: string, width: number, maxLines = Number.POSITIVE_INFINITY): string[] {
  if (displayWidth(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    let word = words[i]!;
    if (lines.length === maxLines - 1) {
      lines.push(ellipsize([line, ...words.slice(i)].filter(Boolean).join(' '), width));
      return lines;
    }
    const joined = line ? `${line} ${word}` : word;
    if (displayWidth(joined) <= width) {
      line = joined;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    while (displayWidth(word) > width && lines.length < maxLines - 1) {
      const head = fitPrefix(word, width);
      lines.push(head);
      word = word.slice(head.length);
    }
    if (lines.length === maxLines - 1) {
      lines.push(ellipsize([word, ...words.slice(i + 1)].join(' '), width));
      return lines;
    }
    line = word;
  }
  if (line) lines.push(line);
  return lines;
}
