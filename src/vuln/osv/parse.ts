import type { OsvAffected, OsvEvent, OsvRange, OsvRecord, OsvSeverity } from './types.js';

/** Why a record was refused; the importer counts it and goes on. */
export class BadRecordError extends Error {}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(o: Json, key: string, where: string, required: true): string;
function str(o: Json, key: string, where: string, required?: false): string | undefined;
function str(o: Json, key: string, where: string, required = false): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new BadRecordError(`${where}${key} is missing`);
    return undefined;
  }
  if (typeof v !== 'string') throw new BadRecordError(`${where}${key} is not a string`);
  return v;
}

function strings(o: Json, key: string, where: string): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new BadRecordError(`${where}${key} is not an array of strings`);
  return v as string[];
}

function objectOrUndefined(o: Json, key: string, where: string): Json | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new BadRecordError(`${where}${key} is not an object`);
  return v;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function timestamp(o: Json, key: string, required: boolean): string | undefined {
  const v = required ? str(o, key, '', true) : str(o, key, '');
  if (v !== undefined && !TIMESTAMP.test(v))
    throw new BadRecordError(`${key} "${v}" is not an RFC 3339 time`);
  return v;
}

function parseSeverity(v: unknown, where: string): OsvSeverity[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new BadRecordError(`${where}severity is not an array`);
  return v.map((s, i) => {
    if (!isObject(s)) throw new BadRecordError(`${where}severity[${i}] is not an object`);
    return {
      type: str(s, 'type', `${where}severity[${i}].`, true),
      score: str(s, 'score', `${where}severity[${i}].`, true),
    };
  });
}

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

function parseEvent(e: unknown, where: string): OsvEvent | undefined {
  if (!isObject(e)) throw new BadRecordError(`${where} is not an object`);
  const keys = EVENT_KEYS.filter((k) => e[k] !== undefined);
  if (keys.length !== 1)
    throw new BadRecordError(`${where} must hold exactly one of ${EVENT_KEYS.join(', ')}`);
  const key = keys[0]!;
  const value = e[key];
  if (typeof value !== 'string') throw new BadRecordError(`${where}.${key} is not a string`);
  // An empty version (a real quirk of some GHSA exports: "fixed": "") states nothing; drop the event.
  if (value === '') return undefined;
  return { [key]: value } as OsvEvent;
}

function parseRange(r: unknown, where: string): OsvRange {
  if (!isObject(r)) throw new BadRecordError(`${where} is not an object`);
  const type = r.type;
  if (type !== 'SEMVER' && type !== 'ECOSYSTEM' && type !== 'GIT')
    throw new BadRecordError(`${where}.type "${String(type)}" is not SEMVER, ECOSYSTEM or GIT`);
  if (!Array.isArray(r.events) || r.events.length === 0)
    throw new BadRecordError(`${where}.events is missing or empty`);
  const events = r.events
    .map((e, i) => parseEvent(e, `${where}.events[${i}]`))
    .filter((e): e is OsvEvent => e !== undefined);
  if (type !== 'GIT' && !events.some((e) => 'introduced' in e))
    throw new BadRecordError(`${where}.events has no introduced event`);
  return { type, events };
}

function parseAffected(a: unknown, i: number): OsvAffected | undefined {
  const where = `affected[${i}].`;
  if (!isObject(a)) throw new BadRecordError(`affected[${i}] is not an object`);
  const pkg = objectOrUndefined(a, 'package', where);
  // Entries without a package describe GIT commits of C/C++ projects: nothing Strata can match.
  if (!pkg) return undefined;
  const ecosystem = str(pkg, 'ecosystem', `${where}package.`, true);
  const name = str(pkg, 'name', `${where}package.`, true);
  if (ecosystem === '' || name === '')
    throw new BadRecordError(`${where}package has an empty ecosystem or name`);
  const rawRanges = a.ranges ?? [];
  if (!Array.isArray(rawRanges)) throw new BadRecordError(`${where}ranges is not an array`);
  const purl = str(pkg, 'purl', `${where}package.`);
  const severity = parseSeverity(a.severity, where);
  const eco = objectOrUndefined(a, 'ecosystem_specific', where);
  const db = objectOrUndefined(a, 'database_specific', where);
  return {
    ecosystem,
    name,
    ...(purl ? { purl } : {}),
    ranges: rawRanges.map((r, j) => parseRange(r, `${where}ranges[${j}]`)),
    versions: strings(a, 'versions', where),
    ...(severity.length ? { severity } : {}),
    ...(eco ? { ecosystemSpecific: eco } : {}),
    ...(db ? { databaseSpecific: db } : {}),
  };
}

function parseReferences(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new BadRecordError('references is not an array');
  return v.map((r, i) => {
    if (!isObject(r) || typeof r.url !== 'string')
      throw new BadRecordError(`references[${i}].url is missing`);
    return r.url;
  });
}

/** Validates one decoded OSV record; throws BadRecordError naming the field at fault. */
export function parseOsvRecord(input: unknown): OsvRecord {
  if (!isObject(input)) throw new BadRecordError('record is not a JSON object');
  const id = str(input, 'id', '', true);
  if (!/^[A-Za-z0-9][A-Za-z0-9._:+-]*$/.test(id))
    throw new BadRecordError(`id "${id}" is not a valid OSV id`);
  const modified = timestamp(input, 'modified', true)!;
  const published = timestamp(input, 'published', false);
  const withdrawn = timestamp(input, 'withdrawn', false);
  const rawAffected = input.affected ?? [];
  if (!Array.isArray(rawAffected)) throw new BadRecordError('affected is not an array');
  const affected = rawAffected.map(parseAffected).filter((a): a is OsvAffected => a !== undefined);
  const summary = str(input, 'summary', '');
  const details = str(input, 'details', '');
  const db = objectOrUndefined(input, 'database_specific', '');
  return {
    id,
    modified,
    ...(published ? { published } : {}),
    ...(withdrawn ? { withdrawn } : {}),
    aliases: strings(input, 'aliases', ''),
    upstream: strings(input, 'upstream', ''),
    ...(summary ? { summary } : {}),
    ...(details ? { details } : {}),
    severity: parseSeverity(input.severity, ''),
    affected,
    references: parseReferences(input.references),
    ...(db ? { databaseSpecific: db } : {}),
  };
}
