import { describe, expect, it } from 'vitest';
import { DisjointRanges } from './byte-ranges.js';

describe('DisjointRanges', () => {
  it.each<[string, [number, number][], boolean[]]>([
    [
      'ranges in file order',
      [
        [0, 10],
        [10, 20],
        [25, 30],
      ],
      [true, true, true],
    ],
    [
      'the same range twice',
      [
        [0, 10],
        [0, 10],
      ],
      [true, false],
    ],
    [
      'a range inside another',
      [
        [0, 100],
        [10, 20],
      ],
      [true, false],
    ],
    [
      'a range over the end of another',
      [
        [10, 20],
        [0, 11],
      ],
      [true, false],
    ],
    [
      'a range over the start of another',
      [
        [0, 10],
        [30, 40],
        [5, 12],
      ],
      [true, true, false],
    ],
    [
      'an out-of-order range in a gap',
      [
        [0, 10],
        [30, 40],
        [10, 30],
        [20, 21],
      ],
      [true, true, true, false],
    ],
    [
      'an empty range at the start of another',
      [
        [0, 10],
        [0, 0],
      ],
      [true, false],
    ],
  ])('%s', (_, ranges, expected) => {
    const r = new DisjointRanges();
    expect(ranges.map(([s, e]) => r.add(s, e))).toEqual(expected);
  });
});
