import { describe, expect, it } from 'vitest';
import { readElf, sectionData } from './elf.js';
import { elfWithSections } from './elf-builder.js';

describe('readElf section names', () => {
  it('reads NUL-terminated names from the section string table', () => {
    const table = Buffer.from('\0.text\0.go.buildinfo\0', 'latin1');
    const elf = readElf(elfWithSections(3, table, (i) => [0, 1, 7][i]!));
    expect(elf.sections.map((s) => s.name)).toEqual(['', '.text', '.go.buildinfo']);
  });

  it('stops a name at the end of its string table, not at the next NUL of the file', () => {
    const buf = Buffer.concat([
      elfWithSections(2, Buffer.from('\0.data', 'latin1'), (i) => i),
      Buffer.from('tail\0'),
    ]);
    expect(readElf(buf).sections[1]?.name).toBe('.data');
  });

  // each name used to be searched to the file's end: 65 535 sections over a table without a NUL hung
  it('reads 65 535 names from an 8 MiB table without a NUL in one pass each', { timeout: 30_000 }, () => {
    const table = Buffer.alloc(8 * 1024 * 1024, 'A');
    const buf = elfWithSections(65_535, table, (i) => i * 97);
    const elf = readElf(buf);
    expect(elf.sections).toHaveLength(65_535);
    expect(elf.sections.every((s) => s.name.length <= 256)).toBe(true);
    expect(sectionData(buf, elf, '.go.buildinfo')).toBeUndefined();
  });
});
