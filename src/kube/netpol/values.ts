import { InputError, safeParseWith, z } from '../../core/schema.js';
import { parseCidr } from './cidr.js';
import { type ObjectPath, PROTOCOLS, type Protocol } from './types.js';

/** A resource as the loader hands it over (structurally the loader's `KubeResource`). */
export interface ResourceInput {
  readonly kind: string;
  readonly apiVersion?: string;
  readonly object: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly line: number;
  lineOf?(path: ObjectPath): number | undefined;
}

/*
 * The field types the API validates, as zod schemas. Kubernetes reads an absent field and an
 * explicit `null` alike, so optional fields, lists and mappings are all nullish.
 */

/** An optional field: absent and `null` read as undefined. */
export const opt = <S extends z.ZodType>(schema: S) => schema.nullish().transform((v) => v ?? undefined);

/** A list: absent and `null` read as empty. */
export const list = <S extends z.ZodType>(item: S) =>
  z
    .array(item)
    .nullish()
    .transform((v): z.output<S>[] => v ?? []);

/** A mapping: absent and `null` read as `{}`, so the defaults of its fields apply. */
export const mapping = <S extends z.ZodType>(schema: S) => z.preprocess((v) => v ?? {}, schema);

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** Label and annotation values: strings (YAML numbers and booleans read as their text). */
export const Labels = mapping(
  z.record(
    z.string(),
    z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string()),
  ),
);

export const ProtocolField = z.preprocess(
  (v) => v ?? 'TCP',
  z.enum(PROTOCOLS, { error: (i) => `expected TCP, UDP or SCTP, got ${show(i.input)}` }),
) as z.ZodType<Protocol>;

const isPortNumber = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

export const PortNumber = z.custom<number>(isPortNumber, {
  error: (i) => `expected a port number 1-65535, got ${show(i.input)}`,
});

/** IANA_SVC_NAME as the API validates named ports: 1-15 lowercase alphanumerics or '-', with a letter. */
export function isPortName(s: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes('--');
}

export const PortName = z.custom<string>((v) => typeof v === 'string' && isPortName(v), {
  error: (i) => `expected a port name (IANA_SVC_NAME), got ${show(i.input)}`,
});

/** A port by number or by name (`port` of a NetworkPolicy port). */
export const PortNumberOrName = z.custom<number | string>(
  (v) => (typeof v === 'string' ? isPortName(v) : isPortNumber(v)),
  {
    error: (i) =>
      typeof i.input === 'string'
        ? `expected a port name (IANA_SVC_NAME), got ${show(i.input)}`
        : `expected a port number 1-65535 or a port name, got ${show(i.input)}`,
  },
);

export const Cidr = z.custom<string>((v) => typeof v === 'string' && parseCidr(v) !== undefined, {
  error: (i) => `expected a CIDR, got ${show(i.input)}`,
});

export const Metadata = mapping(
  z.object({
    name: opt(z.string()),
    generateName: opt(z.string()),
    namespace: opt(z.string()),
    labels: Labels,
    annotations: Labels,
  }),
).transform((m) => ({
  name: m.name ?? m.generateName ?? '',
  namespace: m.namespace ?? 'default',
  labels: m.labels,
  annotations: m.annotations,
}));

const WithMetadata = z.compile(z.object({ metadata: Metadata }));

/** Reads a resource's object with `schema`; a field that breaks it throws `path.to.field: expected X, got Y`. */
export function readObject<S extends z.ZodType>(schema: S, object: unknown): z.output<S> {
  const r = safeParseWith(schema, object);
  if (!r.ok) throw new InputError(r.message);
  return r.value;
}

export function metadata(o: Readonly<Record<string, unknown>>): z.output<typeof Metadata> {
  return readObject(WithMetadata, o).metadata;
}
