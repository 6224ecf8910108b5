/** A resource being built: its object, the file it came from, and the name it was first given. */
export interface KResource {
  object: Record<string, unknown>;
  /** the manifest (or kustomization, for generated ones) the resource came from */
  readonly file: string;
  /** kind and name when first read, so references to it can follow renames */
  readonly origKind: string;
  readonly origName: string;
  /** a generated ConfigMap/Secret that gets a content-hash name suffix */
  needsHash: boolean;
}

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function meta(o: Obj): Obj {
  if (!isObject(o.metadata)) o.metadata = {};
  return o.metadata as Obj;
}

export function nameOf(o: Obj): string {
  const m = o.metadata;
  return isObject(m) && typeof m.name === 'string' ? m.name : '';
}

export function kindOf(o: Obj): string {
  return typeof o.kind === 'string' ? o.kind : '';
}

/** `group/version` split as kustomize targets use it (`v1` is the core group ''). */
export function groupVersion(o: Obj): { group: string; version: string } {
  const av = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const i = av.indexOf('/');
  return i < 0 ? { group: '', version: av } : { group: av.slice(0, i), version: av.slice(i + 1) };
}
