import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseWith } from '../../core/schema.js';
import { KustomizeError } from './errors.js';
import { contentHash, generate } from './generators.js';
import { applyJson6902 } from './json6902.js';
import { confined } from './paths.js';
import { isObject, type KResource, kindOf, meta, nameOf, type Obj } from './resource.js';
import { KUSTOMIZATION_FILES, Kustomization } from './schema.js';
import { selectTargets } from './select.js';
import { strategicMerge } from './smp.js';
import {
  addAnnotations,
  addLabels,
  fixNameReferences,
  prefixSuffix,
  setImages,
  setNamespace,
} from './transforms.js';

const SUPPORTED = new Set(Object.keys(Kustomization.shape));
const MAX_DEPTH = 20;

/** The kustomization file of a directory, or undefined. */
export function kustomizationFile(dir: string): string | undefined {
  return KUSTOMIZATION_FILES.map((f) => join(dir, f)).find((p) => existsSync(p) && statSync(p).isFile());
}

function readDocs(text: string, where: string): unknown[] {
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(text, { version: '1.1' })) {
    const first = doc.errors[0];
    if (first) throw new KustomizeError('INVALID', `${where}: ${first.message.split('\n', 1)[0]}`);
    const v = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

function readKustomization(file: string): Kustomization {
  const [raw] = readDocs(readFileSync(file, 'utf8'), file);
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new KustomizeError('INVALID', `${file}: expected a mapping`);
  for (const key of Object.keys(raw))
    if (!SUPPORTED.has(key))
      throw new KustomizeError(
        'UNSUPPORTED',
        `${file}: field "${key}" is not supported by strata's kustomize build`,
      );
  try {
    return parseWith(Kustomization, raw, file);
  } catch (err) {
    throw new KustomizeError('INVALID', err instanceof Error ? err.message : String(err), { cause: err });
  }
}

function manifestResources(path: string, where: string): KResource[] {
  const out: KResource[] = [];
  for (const doc of readDocs(readFileSync(path, 'utf8'), `${where} ${path}`)) {
    if (!isObject(doc) || typeof doc.kind !== 'string')
      throw new KustomizeError('INVALID', `${where}: ${path}: a document without kind`);
    const items = doc.kind.endsWith('List') && Array.isArray(doc.items) ? doc.items.filter(isObject) : [doc];
    for (const o of items)
      out.push({ object: o, file: path, origKind: kindOf(o), origName: nameOf(o), needsHash: false });
  }
  return out;
}

/** A patch's text: a file next to the kustomization, or inline. */
function patchText(
  dir: string,
  p: { path?: string | undefined; patch?: string | undefined },
  where: string,
): string {
  if (p.path !== undefined) return readFileSync(confined(dir, p.path, where), 'utf8');
  if (p.patch !== undefined) return p.patch;
  throw new KustomizeError('INVALID', `${where}: needs path or patch`);
}

function applySmp(resources: KResource[], patch: Obj, targets: KResource[] | undefined, where: string): void {
  const hits =
    targets ?? resources.filter((r) => kindOf(r.object) === patch.kind && nameOf(r.object) === nameOf(patch));
  if (hits.length === 0)
    throw new KustomizeError(
      'NOT_FOUND',
      `${where}: no resource matches ${String(patch.kind)}/${nameOf(patch)}`,
    );
  for (const r of hits) {
    const p = targets
      ? {
          ...patch,
          metadata: { ...(isObject(patch.metadata) ? patch.metadata : {}), name: nameOf(r.object) },
        }
      : patch;
    r.object = strategicMerge(r.object, p) as Obj;
  }
}

function applyPatches(dir: string, file: string, k: Kustomization, resources: KResource[]): void {
  (k.patchesStrategicMerge ?? []).forEach((entry, i) => {
    const where = `${file}: patchesStrategicMerge[${i}]`;
    const text =
      /\n/.test(entry) || !/\.(ya?ml|json)$/.test(entry)
        ? entry
        : readFileSync(confined(dir, entry, where), 'utf8');
    for (const doc of readDocs(text, where)) {
      if (!isObject(doc)) throw new KustomizeError('INVALID', `${where}: a patch must be a mapping`);
      applySmp(resources, doc, undefined, where);
    }
  });
  (k.patches ?? []).forEach((p, i) => {
    const where = `${file}: patches[${i}]`;
    const docs = readDocs(patchText(dir, p, where), where);
    const targets = p.target ? selectTargets(resources, p.target, where) : undefined;
    for (const doc of docs) {
      if (Array.isArray(doc)) {
        if (!targets) throw new KustomizeError('INVALID', `${where}: a JSON 6902 patch needs a target`);
        for (const r of targets) r.object = applyJson6902(r.object, doc, where) as Obj;
      } else if (isObject(doc)) applySmp(resources, doc, targets, where);
      else throw new KustomizeError('INVALID', `${where}: a patch must be a mapping or a list of operations`);
    }
  });
}

function applyJsonPatches(dir: string, file: string, k: Kustomization, resources: KResource[]): void {
  (k.patchesJson6902 ?? []).forEach((p, i) => {
    const where = `${file}: patchesJson6902[${i}]`;
    const [ops] = readDocs(patchText(dir, p, where), where);
    if (!Array.isArray(ops)) throw new KustomizeError('INVALID', `${where}: expected a list of operations`);
    const targets = selectTargets(resources, p.target, where);
    if (targets.length === 0)
      throw new KustomizeError('NOT_FOUND', `${where}: no resource matches the target`);
    for (const r of targets) r.object = applyJson6902(r.object, ops, where) as Obj;
  });
}

function build(dir: string, stack: readonly string[]): KResource[] {
  const file = kustomizationFile(dir);
  if (!file) throw new KustomizeError('NOT_FOUND', `${dir}: no kustomization.yaml`);
  const real = realpathSync(dir);
  if (stack.includes(real))
    throw new KustomizeError('CYCLE', `${file}: resources form a cycle through ${dir}`);
  if (stack.length > MAX_DEPTH)
    throw new KustomizeError('INVALID', `${file}: bases nested more than ${MAX_DEPTH} deep`);
  const k = readKustomization(file);
  const resources: KResource[] = [];
  for (const entry of [...(k.bases ?? []), ...(k.resources ?? [])]) {
    const where = `${file}: resources`;
    const path = confined(dir, entry, where, '/');
    // resources keep the path as written (relative to where the user ran), not the resolved one
    const shown = join(dir, entry);
    if (statSync(path).isDirectory()) resources.push(...build(shown, [...stack, real]));
    else resources.push(...manifestResources(shown, where));
  }
  resources.push(...generate(dir, file, k));
  applyPatches(dir, file, k, resources);
  if (k.namespace) setNamespace(resources, k.namespace);
  if (k.namePrefix || k.nameSuffix) prefixSuffix(resources, k.namePrefix ?? '', k.nameSuffix ?? '');
  if (k.commonLabels) addLabels(resources, k.commonLabels, true, true);
  for (const l of k.labels ?? [])
    addLabels(resources, l.pairs, l.includeSelectors ?? false, l.includeTemplates ?? false);
  if (k.commonAnnotations) addAnnotations(resources, k.commonAnnotations);
  applyJsonPatches(dir, file, k, resources);
  if (k.images) setImages(resources, k.images);
  return resources;
}

/**
 * Builds a kustomization directory as `kubectl kustomize` does for the supported fields
 * (resources and bases, generators, the three patch forms, namespace, name prefix/suffix, labels,
 * annotations, images); generated names get kustomize's content hash and references follow them.
 */
export function buildKustomization(dir: string): KResource[] {
  const resources = build(dir, []);
  for (const r of resources)
    if (r.needsHash) meta(r.object).name = `${nameOf(r.object)}-${contentHash(r.object)}`;
  fixNameReferences(resources);
  return resources;
}
