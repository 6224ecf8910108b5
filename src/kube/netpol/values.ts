import { type Labels, type ObjectPath, PROTOCOLS, type Protocol } from './types.js';

/** A resource as the loader hands it over (structurally the loader's `KubeResource`). */
export interface ResourceInput {
  readonly kind: string;
  readonly apiVersion?: string;
  readonly object: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly line: number;
  lineOf?(path: ObjectPath): number | undefined;
}

export type Obj = Readonly<Record<string, unknown>>;

/** A field that breaks the API's validation; `path` names it for the one-line error. */
export class FieldError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function obj(v: unknown, path: string): Obj {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) throw new FieldError(path, 'must be a mapping');
  return v;
}

export function list(v: unknown, path: string): readonly unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FieldError(path, 'must be a list');
  return v;
}

export function optString(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new FieldError(path, 'must be a string');
  return v;
}

export function labels(v: unknown, path: string): Labels {
  const o = obj(v, path);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
    else throw new FieldError(`${path}.${k}`, 'must be a string');
  }
  return out;
}

export function protocol(v: unknown, path: string): Protocol {
  if (v === undefined || v === null) return 'TCP';
  if (typeof v === 'string' && (PROTOCOLS as readonly string[]).includes(v)) return v as Protocol;
  throw new FieldError(path, `unsupported protocol ${JSON.stringify(v)} (TCP, UDP or SCTP)`);
}

export function portNumber(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
    throw new FieldError(path, `${JSON.stringify(v)} is not a port number 1-65535`);
  }
  return v;
}

/** IANA_SVC_NAME as the API validates named ports: 1-15 lowercase alphanumerics or '-', with a letter. */
export function isPortName(s: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes('--');
}

export function metadata(o: Obj): { name: string; namespace: string; labels: Labels; annotations: Labels } {
  const m = obj(o.metadata, 'metadata');
  return {
    name: optString(m.name, 'metadata.name') ?? optString(m.generateName, 'metadata.generateName') ?? '',
    namespace: optString(m.namespace, 'metadata.namespace') ?? 'default',
    labels: labels(m.labels, 'metadata.labels'),
    annotations: labels(m.annotations, 'metadata.annotations'),
  };
}
