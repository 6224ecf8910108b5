/**
 * Byte ranges of an archive that must not overlap: zip entries whose data overlaps another entry's
 * (or its header) are how zip bombs reach ratios far past deflate's 1032:1. Entries usually come in
 * file order, so adding one is a comparison with the last; out-of-order ones use a binary search.
 */
export class DisjointRanges {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Adds [start, end); false (and nothing added) when it overlaps a range already added. */
  add(start: number, end: number): boolean {
    const n = this.starts.length;
    if (n === 0 || start >= this.ends[n - 1]!) {
      this.starts.push(start);
      this.ends.push(end);
      return true;
    }
    // first range starting at or after `start`
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    if (lo < n && this.starts[lo]! < Math.max(end, start + 1)) return false;
    if (lo > 0 && this.ends[lo - 1]! > start) return false;
    this.starts.splice(lo, 0, start);
    this.ends.splice(lo, 0, end);
    return true;
  }
}
