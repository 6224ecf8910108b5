import { describe, expect, it } from 'vitest';
import { renderTable } from './grid.js';
import { displayWidth } from './text.js';

const ROWS = [
  ['\x1b[1;31mCRITICAL\x1b[0m', 'CVE-2023-45853', 'MiniZip in zlib through 1.3 has an integer overflow'],
  ['LOW', 'CVE-2005-2541', 'Tar does not warn'],
];

describe('renderTable', () => {
  it('aligns coloured cells by what they show', () => {
    const lines = renderTable(['SEVERITY', 'ID', 'TITLE'], ROWS).split('\n');
    const idColumn = lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').indexOf('CVE-'));
    expect(idColumn.slice(2)).toEqual([10, 10]);
  });

  it('wraps the flexible column between words to fit the width', () => {
    const text = renderTable(['SEVERITY', 'ID', 'TITLE'], ROWS, { width: 53 });
    const lines = text.split('\n');
    expect(lines.every((l) => displayWidth(l) <= 53)).toBe(true);
    expect(lines.slice(2, 5).map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''))).toEqual([
      'CRITICAL  CVE-2023-45853  MiniZip in zlib through 1.3',
      '                          has an integer overflow',
      'LOW       CVE-2005-2541   Tar does not warn',
    ]);
  });

  it('puts the last column under its row when the terminal is too narrow for it beside the others', () => {
    const text = renderTable(['SEVERITY', 'ID', 'TITLE'], ROWS, { width: 38 });
    expect(text.replace(/\x1b\[[0-9;]*m/g, '').split('\n')).toEqual([
      'SEVERITY  ID',
      '    TITLE',
      '--------  --------------',
      'CRITICAL  CVE-2023-45853',
      '    MiniZip in zlib through 1.3 has an',
      '    integer overflow',
      'LOW       CVE-2005-2541',
      '    Tar does not warn',
    ]);
  });

  it('keeps a flexible first column at least 16 wide', () => {
    const text = renderTable(['NAME', 'V'], [['a-very-long-package-name-indeed', '1']], {
      flex: 0,
      width: 10,
    });
    expect(text.split('\n')[1]).toBe(`${'-'.repeat(16)}  -`);
  });

  it('leaves a table that fits as it is', () => {
    expect(renderTable(['A', 'B'], [['x', 'y']], { width: 80 })).toBe('A  B\n-  -\nx  y');
  });
});
