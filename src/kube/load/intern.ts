/**
 * One copy of each distinct string, for findings built by the thousand: titles, descriptions and
 * field paths are built from pieces (`${a}: ${b}`), which V8 keeps as trees of pieces (one 32-byte
 * cell per piece), and the same text comes back for every pod of a Deployment. A cluster's 180,000
 * findings held 58 MiB of such trees; looking each text up here keeps one flat copy instead.
 * Use one table per scan (it lives as long as its findings do).
 */
export function stringTable(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    const known = seen.get(s);
    if (known !== undefined) return known;
    seen.set(s, s);
    return s;
  };
}
