import { safeParseWith, z } from '../../core/schema.js';
import type { OsvAffected, OsvEvent, OsvRange, OsvRecord, OsvSeverity } from './types.js';

/** Why a record was refused (`path.to.field: expected X, got Y`); the importer counts it and goes on. */
export class BadRecordError extends Error {}

/*
 * The OSV schema (https://ossf.github.io/osv-schema/), as far as Strata reads it. Optional fields
 * may be absent or null; a field that is present with the wrong type makes the record bad.
 */

const quoted = (v: unknown): string => JSON.stringify(v)?.slice(0, 100) ?? String(v);
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const Timestamp = z
  .string()
  .regex(TIMESTAMP, { error: (i) => `expected an RFC 3339 time, got ${quoted(i.input)}` });
const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]*$/, { error: (i) => `expected an OSV id, got ${quoted(i.input)}` });
const NonEmpty = z.string().min(1, { error: 'expected a non-empty string' });
const Strings = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);
const Mapping = z.record(z.string(), z.unknown()).nullish();

const Severity = z
  .array(z.object({ type: z.string(), score: z.string() }))
  .nullish()
  .transform((v): OsvSeverity[] => v ?? []);

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

/** Exactly one of the four keys; an empty version (a quirk of some GHSA exports: `"fixed": ""`) states nothing. */
const Event = z
  .object({
    introduced: z.string().optional(),
    fixed: z.string().optional(),
    last_affected: z.string().optional(),
    limit: z.string().optional(),
  })
  .transform((e, ctx): OsvEvent | undefined => {
    const set =
      (e.introduced !== undefined ? 1 : 0) +
      (e.fixed !== undefined ? 1 : 0) +
      (e.last_affected !== undefined ? 1 : 0) +
      (e.limit !== undefined ? 1 : 0);
    if (set !== 1) {
      ctx.issues.push({
        code: 'custom',
        message: `must hold exactly one of ${EVENT_KEYS.join(', ')}`,
        input: e,
      });
      return undefined;
    }
    // literal keys keep every event the same object shape (a computed key would not)
    if (e.introduced !== undefined) return e.introduced === '' ? undefined : { introduced: e.introduced };
    if (e.fixed !== undefined) return e.fixed === '' ? undefined : { fixed: e.fixed };
    if (e.last_affected !== undefined)
      return e.last_affected === '' ? undefined : { last_affected: e.last_affected };
    return e.limit === '' ? undefined : { limit: e.limit! };
  });

const Range = z
  .object({
    type: z.enum(['SEMVER', 'ECOSYSTEM', 'GIT'], {
      error: (i) => `expected SEMVER, ECOSYSTEM or GIT, got ${quoted(i.input)}`,
    }),
    events: z.array(Event).min(1, { error: 'expected at least one event' }),
  })
  .transform((r): OsvRange => ({ type: r.type, events: r.events.filter((e) => e !== undefined) }))
  .check((ctx) => {
    if (ctx.value.type !== 'GIT' && !ctx.value.events.some((e) => 'introduced' in e))
      ctx.issues.push({ code: 'custom', message: 'no introduced event', path: ['events'], input: ctx.value });
  });

const Affected = z
  .object({
    package: z.object({ ecosystem: NonEmpty, name: NonEmpty, purl: z.string().nullish() }),
    ranges: z
      .array(Range)
      .nullish()
      .transform((v) => v ?? []),
    versions: Strings,
    severity: Severity,
    ecosystem_specific: Mapping,
    database_specific: Mapping,
  })
  .transform(
    (a): OsvAffected => ({
      ecosystem: a.package.ecosystem,
      name: a.package.name,
      ...(a.package.purl ? { purl: a.package.purl } : {}),
      ranges: a.ranges,
      versions: a.versions,
      ...(a.severity.length ? { severity: a.severity } : {}),
      ...(a.ecosystem_specific ? { ecosystemSpecific: a.ecosystem_specific } : {}),
      ...(a.database_specific ? { databaseSpecific: a.database_specific } : {}),
    }),
  );

const hasNoPackage = (a: unknown): boolean =>
  typeof a === 'object' && a !== null && !Array.isArray(a) && (a as { package?: unknown }).package == null;

// Entries without a package describe GIT commits of C/C++ projects: nothing Strata can match, so unchecked.
const AffectedEntry = z.preprocess((a) => (hasNoPackage(a) ? undefined : a), Affected.optional());

const OsvRecordSchema = z.compile(
  z
    .object({
      id: Id,
      modified: Timestamp,
      published: Timestamp.nullish(),
      withdrawn: Timestamp.nullish(),
      aliases: Strings,
      upstream: Strings,
      summary: z.string().nullish(),
      details: z.string().nullish(),
      severity: Severity,
      affected: z
        .array(AffectedEntry)
        .nullish()
        .transform((v) => (v ?? []).filter((a): a is OsvAffected => a !== undefined)),
      references: z
        .array(z.object({ url: z.string() }))
        .nullish()
        .transform((v) => (v ?? []).map((r) => r.url)),
      database_specific: Mapping,
    })
    .transform(
      (r): OsvRecord => ({
        id: r.id,
        modified: r.modified,
        ...(r.published ? { published: r.published } : {}),
        ...(r.withdrawn ? { withdrawn: r.withdrawn } : {}),
        aliases: r.aliases,
        upstream: r.upstream,
        ...(r.summary ? { summary: r.summary } : {}),
        ...(r.details ? { details: r.details } : {}),
        severity: r.severity,
        affected: r.affected,
        references: r.references,
        ...(r.database_specific ? { databaseSpecific: r.database_specific } : {}),
      }),
    ),
  { strict: true },
);

/** Validates one decoded OSV record; throws BadRecordError naming the field at fault. */
export function parseOsvRecord(input: unknown): OsvRecord {
  const r = safeParseWith(OsvRecordSchema, input);
  if (!r.ok) throw new BadRecordError(r.message);
  return r.value;
}
