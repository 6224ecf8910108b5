import { displayWidth, padEnd, wrapWords } from './text.js';

export interface GridOptions {
  /** the terminal's width; without it, columns take what their cells need */
  readonly width?: number;
  /** the column that gives way (wraps at word boundaries) when the rows are wider than `width`; default the last */
  readonly flex?: number;
  /** lines a wrapped cell may take before it ends with `…` (default 3) */
  readonly maxLines?: number;
}

const GAP = '  ';
/** the flexible column never gets narrower than this; below it, the last column goes under its row */
const MIN_FLEX = 16;
/** the indent of a last column shown under its row */
const STACK_INDENT = '    ';

function columnWidths(headers: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
}

/**
 * Renders rows as an aligned text table with a header rule. Widths are measured in terminal
 * columns (colour codes count for nothing); when a width is given, the flexible column wraps
 * between words so each line fits.
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: GridOptions = {},
): string {
  const widths = columnWidths(headers, rows);
  const flex = options.flex ?? headers.length - 1;
  const total = widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  if (options.width !== undefined && total > options.width) {
    const room = options.width - (total - widths[flex]!);
    if (room < MIN_FLEX && flex === headers.length - 1 && flex > 0) {
      return stacked(headers, rows, options.width, options.maxLines ?? 3);
    }
    widths[flex] = Math.max(MIN_FLEX, room, displayWidth(headers[flex]!));
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i]!)))
      .join(GAP)
      .trimEnd();
  const out = [line(headers), widths.map((w) => '-'.repeat(w)).join(GAP)];
  for (const row of rows) {
    const cell = row[flex] ?? '';
    const wrapped =
      displayWidth(cell) > widths[flex]! ? wrapWords(cell, widths[flex]!, options.maxLines ?? 3) : [cell];
    wrapped.forEach((part, n) => {
      out.push(line(headers.map((_, i) => (i === flex ? part : n === 0 ? (row[i] ?? '') : ''))));
    });
  }
  return out.join('\n');
}

/**
 * A terminal too narrow for the last column beside the others: each row's last cell goes on the
 * lines under it, indented and wrapped between words, as its header is under the others.
 */
function stacked(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  width: number,
  maxLines: number,
): string {
  const last = headers.length - 1;
  const table = renderTable(
    headers.slice(0, last),
    rows.map((r) => r.slice(0, last)),
  ).split('\n');
  const out = [table[0]!, `${STACK_INDENT}${headers[last]}`, table[1]!];
  const room = Math.max(MIN_FLEX, width - STACK_INDENT.length);
  rows.forEach((row, i) => {
    out.push(table[i + 2]!);
    const cell = row[last] ?? '';
    if (cell) for (const part of wrapWords(cell, room, maxLines)) out.push(`${STACK_INDENT}${part}`);
  });
  return out.join('\n');
}
