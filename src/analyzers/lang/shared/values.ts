import { malformed } from './errors.js';

/** Narrowing helpers for parsed JSON/YAML/TOML: untrusted values are checked once, here. */
export type Dict = Readonly<Record<string, unknown>>;

export function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function dict(v: unknown): Dict {
  return isDict(v) ? v : {};
}

export function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function strings(v: unknown): string[] {
  return list(v).filter((x): x is string => typeof x === 'string' && x !== '');
}

export function parseJson(content: Buffer, what: string): unknown {
  try {
    return JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw malformed(`invalid JSON in ${what}`, err);
  }
}

export function parseJsonObject(content: Buffer, what: string): Dict {
  const value = parseJson(content, what);
  if (!isDict(value)) throw malformed(`${what} is not a JSON object`);
  return value;
}
