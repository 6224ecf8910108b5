import { describe, expect, it } from 'vitest';
import { PortSet } from './port-set.js';

describe('PortSet', () => {
  it('merges adjacent and overlapping ranges', () => {
    const s = PortSet.of('TCP', 80)
      .union(PortSet.of('TCP', 81, 90))
      .union(PortSet.of('TCP', 85, 100))
      .union(PortSet.of('UDP', 53));
    expect(s.toString()).toBe('TCP:80-100 UDP:53');
  });

  it('intersects per protocol', () => {
    const a = PortSet.of('TCP', 1, 1000).union(PortSet.allOf('UDP'));
    const b = PortSet.of('TCP', 900, 2000).union(PortSet.of('SCTP', 5));
    expect(a.intersect(b).toString()).toBe('TCP:900-1000');
    expect(a.intersect(PortSet.ALL)).toBe(a);
    expect(PortSet.EMPTY.union(a)).toBe(a);
  });

  it('answers membership and the all/none forms', () => {
    expect(PortSet.ALL.toString()).toBe('all');
    expect(PortSet.EMPTY.toString()).toBe('none');
    expect(PortSet.of('SCTP', 10, 20).has('SCTP', 20)).toBe(true);
    expect(PortSet.of('SCTP', 10, 20).has('TCP', 15)).toBe(false);
    expect(PortSet.allOf('TCP').union(PortSet.allOf('UDP')).union(PortSet.allOf('SCTP')).isAll()).toBe(true);
  });
});
