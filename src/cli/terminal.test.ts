import { describe, expect, it } from 'vitest';
import { DEFAULT_WIDTH, terminalWidth, useColor } from './terminal.js';

describe('terminalWidth', () => {
  it.each([
    ['COLUMNS wins over the terminal', { isTTY: true, columns: 80 }, { COLUMNS: '200' }, 200],
    ["a terminal's own width", { isTTY: true, columns: 93 }, {}, 93],
    ['a pipe gets the default', { isTTY: false, columns: undefined }, {}, DEFAULT_WIDTH],
    ['a file (no stream) gets the default', undefined, {}, DEFAULT_WIDTH],
    ['a bad COLUMNS is ignored', { isTTY: true, columns: 70 }, { COLUMNS: 'wide' }, 70],
    ['COLUMNS=0 is ignored', undefined, { COLUMNS: '0' }, DEFAULT_WIDTH],
  ])('%s', (_, stream, env, expected) => {
    expect(terminalWidth(stream, env)).toBe(expected);
  });
});

describe('useColor', () => {
  it.each([
    ['a terminal', { isTTY: true }, {}, true],
    ['a terminal with NO_COLOR', { isTTY: true }, { NO_COLOR: '1' }, false],
    ['a pipe', { isTTY: false }, {}, false],
    ['a file', undefined, {}, false],
  ])('%s: %s', (_, stream, env, expected) => {
    expect(useColor(stream, env)).toBe(expected);
  });
});
