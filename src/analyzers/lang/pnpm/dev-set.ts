import { type Dict, dict, str } from '../shared/values.js';

/**
 * pnpm 9 records no `dev` flag: a snapshot is dev-only when no production dependency of any importer
 * (dependencies, optionalDependencies) reaches it. Returns the snapshot keys production reaches.
 */
export function productionSnapshots(importers: Dict, snapshots: Dict): Set<string> {
  const reached = new Set<string>();
  const queue: string[] = [];
  const visit = (name: string, ref: unknown) => {
    const version = typeof ref === 'string' ? ref : str(dict(ref).version);
    if (!version || version.startsWith('link:')) return;
    const key = version.startsWith('/') ? version.slice(1) : `${name}@${version}`;
    if (!reached.has(key)) {
      reached.add(key);
      queue.push(key);
    }
  };
  for (const importer of Object.values(importers)) {
    const i = dict(importer);
    for (const group of [i.dependencies, i.optionalDependencies]) {
      for (const [name, ref] of Object.entries(dict(group))) visit(name, ref);
    }
  }
  for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
    const snap = dict(snapshots[key]);
    for (const group of [snap.dependencies, snap.optionalDependencies]) {
      for (const [name, ref] of Object.entries(dict(group))) visit(name, ref);
    }
  }
  return reached;
}
