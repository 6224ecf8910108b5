import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { KustomizeError } from './errors.js';
import { confined } from './paths.js';
import type { KResource, Obj } from './resource.js';
import type { Generator, Kustomization } from './schema.js';

/** `KEY=VALUE` lines of an env file (`#` comments and blank lines skipped). */
function envPairs(text: string, where: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    if (i <= 0)
      throw new KustomizeError('INVALID', `${where}: env line ${JSON.stringify(line)} is not KEY=VALUE`);
    out.push([line.slice(0, i), line.slice(i + 1)]);
  }
  return out;
}

function literalPair(lit: string, where: string): [string, string] {
  const i = lit.indexOf('=');
  if (i <= 0)
    throw new KustomizeError('INVALID', `${where}: literal ${JSON.stringify(lit)} is not KEY=VALUE`);
  let v = lit.slice(i + 1);
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))))
    v = v.slice(1, -1);
  return [lit.slice(0, i), v];
}

function data(dir: string, g: Generator, where: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const env of [...(g.envs ?? []), ...(g.env ? [g.env] : [])])
    pairs.push(...envPairs(readFileSync(confined(dir, env, where), 'utf8'), `${where} ${env}`));
  for (const f of g.files ?? []) {
    const i = f.indexOf('=');
    const [key, path] = i > 0 ? [f.slice(0, i), f.slice(i + 1)] : [basename(f), f];
    pairs.push([key, readFileSync(confined(dir, path, where), 'utf8')]);
  }
  for (const lit of g.literals ?? []) pairs.push(literalPair(lit, where));
  return pairs;
}

/** encoding/json's escaping of `<`, `>`, `&` (kustomize hashes Go's JSON). */
function goJson(v: unknown): string {
  return JSON.stringify(v).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function sorted(o: Obj): Obj {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}

/**
 * kustomize's name-suffix hash: sha256 of Go's JSON of kind, name and data, the first 10 hex
 * digits made unambiguous. kustomize v5 hashes with an empty `name` (measured: its hashes match
 * only so), so the same data gives the same suffix in a base and in a prefixed overlay.
 */
export function contentHash(o: Obj): string {
  const enc: Obj = { data: sorted((o.data as Obj | undefined) ?? {}), kind: o.kind, name: '' };
  if (o.kind === 'Secret') enc.type = o.type ?? '';
  if (o.immutable === true) enc.immutable = true;
  const hex = createHash('sha256')
    .update(goJson(sorted(enc)))
    .digest('hex');
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c]!);
}

/** The ConfigMaps and Secrets of `configMapGenerator`/`secretGenerator`. */
export function generate(dir: string, file: string, k: Kustomization): KResource[] {
  const out: KResource[] = [];
  const opts = k.generatorOptions ?? {};
  for (const [kind, list] of [
    ['ConfigMap', k.configMapGenerator ?? []],
    ['Secret', k.secretGenerator ?? []],
  ] as const) {
    for (const g of list) {
      const where = `${file}: ${kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'} ${g.name}`;
      if (g.behavior && g.behavior !== 'create')
        throw new KustomizeError('UNSUPPORTED', `${where}: behavior ${g.behavior} is not supported`);
      const pairs = data(dir, g, where);
      const values = Object.fromEntries(
        pairs.map(([key, v]) => [key, kind === 'Secret' ? Buffer.from(v).toString('base64') : v]),
      );
      const labels = { ...opts.labels, ...g.options?.labels };
      const annotations = { ...opts.annotations, ...g.options?.annotations };
      const metadata: Obj = { name: g.name };
      if (g.namespace) metadata.namespace = g.namespace;
      if (Object.keys(labels).length) metadata.labels = labels;
      if (Object.keys(annotations).length) metadata.annotations = annotations;
      const object: Obj = { apiVersion: 'v1', kind, metadata };
      if (kind === 'Secret') object.type = g.type ?? 'Opaque';
      if (pairs.length) object.data = values;
      if (g.options?.immutable ?? opts.immutable) object.immutable = true;
      const noHash = g.options?.disableNameSuffixHash ?? opts.disableNameSuffixHash ?? false;
      out.push({ object, file, origKind: kind, origName: g.name, needsHash: !noHash });
    }
  }
  return out;
}
