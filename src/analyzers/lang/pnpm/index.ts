import { parse } from 'yaml';
import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { malformed } from '../shared/errors.js';
import { npmPackage } from '../shared/naming.js';
import { baseName, insideNodeModules } from '../shared/paths.js';
import { type Dict, dict, isDict } from '../shared/values.js';
import { productionSnapshots } from './dev-set.js';
import { parseKey, parseV5Key } from './keys.js';

/** `pnpm-lock.yaml` v5.x, v6.x and v9.x. */
export const pnpmAnalyzer = defineLangAnalyzer({
  name: 'lang/pnpm',
  version: 1,
  wants: { names: ['pnpm-lock.yaml'] },
  required: (file) => baseName(file.path) === 'pnpm-lock.yaml' && !insideNodeModules(file.path),
  parse: ({ content }) => {
    const lock = parseLock(content.toString('utf8'));
    const version = Number.parseFloat(String(lock.lockfileVersion));
    if (!Number.isFinite(version)) throw malformed('pnpm-lock.yaml has no lockfileVersion');
    const packages = dict(lock.packages);
    if (version >= 9) return fromV9(packages, dict(lock.importers), dict(lock.snapshots));
    const split = version < 6 ? parseV5Key : parseKey;
    const out: PackageDraft[] = [];
    for (const [key, raw] of Object.entries(packages)) {
      const id = split(key);
      if (id) out.push(npmPackage(id.name, id.version, dict(raw).dev === true ? { dev: true } : {}));
    }
    return out;
  },
});

function fromV9(packages: Dict, importers: Dict, snapshots: Dict): PackageDraft[] {
  const prod = new Set([...productionSnapshots(importers, snapshots)].map((k) => k.split('(')[0]));
  const out: PackageDraft[] = [];
  for (const key of Object.keys(packages)) {
    const id = parseKey(key);
    if (id) out.push(npmPackage(id.name, id.version, prod.has(key) ? {} : { dev: true }));
  }
  return out;
}

function parseLock(text: string): Dict {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw malformed('invalid YAML in pnpm-lock.yaml', err);
  }
  if (!isDict(doc)) throw malformed('pnpm-lock.yaml is not a mapping');
  return doc;
}
