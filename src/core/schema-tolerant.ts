import { z } from 'zod';

/**
 * Schemas for formats whose writers disagree (image configs, registry answers): a field of the
 * wrong shape is dropped instead of failing the whole document, exactly as the hand-written
 * readers did. Use them only where that leniency is the documented behaviour.
 */

/** An optional field that reads as `undefined` when it has the wrong shape. */
export function tolerant<S extends z.ZodType>(schema: S) {
  return schema.optional().catch(undefined);
}

/** An array whose items of the wrong shape are dropped (the array itself is required). */
export function validItems<S extends z.ZodType>(item: S) {
  return z.array(z.unknown()).transform((items) => {
    const out: z.output<S>[] = [];
    for (const value of items) {
      const r = item.safeParse(value);
      if (r.success) out.push(r.data);
    }
    return out;
  });
}

/** A mapping whose entries of the wrong shape are dropped (the mapping itself is required). */
export function validEntries<S extends z.ZodType>(value: S) {
  return z.record(z.string(), z.unknown()).transform((entries) => {
    const out: [string, z.output<S>][] = [];
    for (const [k, v] of Object.entries(entries)) {
      const r = value.safeParse(v);
      if (r.success) out.push([k, r.data]);
    }
    // fromEntries defines own properties: a `__proto__` key stays a key
    return Object.fromEntries(out) as Record<string, z.output<S>>;
  });
}

/** Drops keys whose value is `undefined`, so parsed values stay minimal and deterministic. */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
