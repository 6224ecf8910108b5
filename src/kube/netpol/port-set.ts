import { PROTOCOLS, type Protocol } from './types.js';

export const MAX_PORT = 65535;

type Intervals = readonly (readonly [number, number])[];

/** An exact set of (protocol, port) pairs: sorted, disjoint, non-adjacent intervals per protocol. */
export class PortSet {
  private constructor(private readonly byProto: Readonly<Record<Protocol, Intervals>>) {}

  static readonly EMPTY = new PortSet({ TCP: [], UDP: [], SCTP: [] });
  static readonly ALL = new PortSet({ TCP: [[1, MAX_PORT]], UDP: [[1, MAX_PORT]], SCTP: [[1, MAX_PORT]] });

  static of(protocol: Protocol, lo: number, hi = lo): PortSet {
    const parts: Record<Protocol, Intervals> = { TCP: [], UDP: [], SCTP: [] };
    parts[protocol] = [[lo, hi]];
    return new PortSet(parts);
  }

  static allOf(protocol: Protocol): PortSet {
    return PortSet.of(protocol, 1, MAX_PORT);
  }

  isEmpty(): boolean {
    return PROTOCOLS.every((p) => this.byProto[p].length === 0);
  }

  isAll(): boolean {
    return PROTOCOLS.every((p) => {
      const r = this.byProto[p];
      return r.length === 1 && r[0]![0] === 1 && r[0]![1] === MAX_PORT;
    });
  }

  has(protocol: Protocol, port: number): boolean {
    return this.byProto[protocol].some(([lo, hi]) => port >= lo && port <= hi);
  }

  intervals(protocol: Protocol): Intervals {
    return this.byProto[protocol];
  }

  union(other: PortSet): PortSet {
    if (this === PortSet.ALL || other === PortSet.EMPTY) return this;
    if (other === PortSet.ALL || this === PortSet.EMPTY) return other;
    const out = {} as Record<Protocol, Intervals>;
    for (const p of PROTOCOLS) out[p] = mergeIntervals([...this.byProto[p], ...other.byProto[p]]);
    return new PortSet(out);
  }

  intersect(other: PortSet): PortSet {
    if (this === PortSet.ALL || other === PortSet.EMPTY) return other;
    if (other === PortSet.ALL || this === PortSet.EMPTY) return this;
    const out = {} as Record<Protocol, Intervals>;
    for (const p of PROTOCOLS) out[p] = intersectIntervals(this.byProto[p], other.byProto[p]);
    return new PortSet(out);
  }

  equals(other: PortSet): boolean {
    return this.toString() === other.toString();
  }

  /** `all`, `none`, or e.g. `TCP:80,443,8000-8080 UDP:53`. */
  toString(): string {
    if (this.isAll()) return 'all';
    const parts: string[] = [];
    for (const p of PROTOCOLS) {
      const r = this.byProto[p];
      if (r.length === 0) continue;
      if (r.length === 1 && r[0]![0] === 1 && r[0]![1] === MAX_PORT) parts.push(`${p}:all`);
      else parts.push(`${p}:${r.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',')}`);
    }
    return parts.length ? parts.join(' ') : 'none';
  }
}

function mergeIntervals(list: (readonly [number, number])[]): Intervals {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function intersectIntervals(a: Intervals, b: Intervals): Intervals {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i]!;
    const [blo, bhi] = b[j]!;
    const lo = Math.max(alo, blo);
    const hi = Math.min(ahi, bhi);
    if (lo <= hi) out.push([lo, hi]);
    if (ahi < bhi) i++;
    else j++;
  }
  return out;
}
