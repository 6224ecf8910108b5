import type { ObjectPath } from '../load/index.js';

/** A JSON object as read from a manifest; fields are checked at the point of use. */
export type Obj = Readonly<Record<string, unknown>>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at `o[key]`, or undefined when absent or not an object (Go: a nil pointer). */
export function obj(o: Obj | undefined, key: string): Obj | undefined {
  const v = o?.[key];
  return isObj(v) ? v : undefined;
}

export function arr(o: Obj | undefined, key: string): readonly unknown[] {
  const v = o?.[key];
  return Array.isArray(v) ? v : [];
}

export function objs(o: Obj | undefined, key: string): readonly Obj[] {
  return arr(o, key).map((v) => (isObj(v) ? v : {}));
}

/** A string field; Go's zero value "" when absent. */
export function str(o: Obj | undefined, key: string): string {
  const v = o?.[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** A *bool field: true, false, or undefined (nil). */
export function bool(o: Obj | undefined, key: string): boolean | undefined {
  const v = o?.[key];
  return typeof v === 'boolean' ? v : undefined;
}

/** A *int64 field: the number, or undefined (nil). */
export function num(o: Obj | undefined, key: string): number | undefined {
  const v = o?.[key];
  return typeof v === 'number' ? v : undefined;
}

export type ContainerKind = 'initContainers' | 'containers' | 'ephemeralContainers';

/** One container of a pod spec, with its path relative to the pod spec. */
export interface ContainerRef {
  readonly kind: ContainerKind;
  readonly index: number;
  readonly name: string;
  readonly container: Obj;
  /** e.g. `['containers', 0]` */
  readonly path: ObjectPath;
}

/** Containers in upstream's visiting order: init, regular, ephemeral. */
export function visitContainers(spec: Obj): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    objs(spec, kind).forEach((container, index) => {
      out.push({ kind, index, name: str(container, 'name'), container, path: [kind, index] });
    });
  }
  return out;
}
