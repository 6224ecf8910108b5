import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { FuncError } from '../template/errors.js';
import type { GoFunc, GoMap, GoValue } from '../template/value.js';
import { fromPlain, readYaml, toData, toJson, toYaml } from '../yaml-values.js';
import { str } from './convert.js';

function fromJsonText(s: string): GoValue {
  return fromPlain(JSON.parse(s));
}

/** Helm's from* functions return the error inside the map instead of failing. */
function errorMap(err: unknown): GoMap {
  return { Error: err instanceof Error ? err.message : String(err) };
}

export const SERIAL_FUNCS: [string, GoFunc][] = [
  [
    'toYaml',
    (v) => {
      try {
        return toYaml(v ?? null);
      } catch {
        return '';
      }
    },
  ],
  ['mustToYaml', (v) => toYaml(v ?? null)],
  ['toYamlPretty', (v) => toYaml(v ?? null)],
  [
    'fromYaml',
    (s) => {
      try {
        const v = readYaml(str(s, 'fromYaml'));
        return v === null ? {} : v;
      } catch (err) {
        return errorMap(err);
      }
    },
  ],
  [
    'fromYamlArray',
    (s) => {
      try {
        const v = readYaml(str(s, 'fromYamlArray'));
        return Array.isArray(v) ? v : [err('expected an array')];
      } catch (e) {
        return [e instanceof Error ? e.message : String(e)];
      }
    },
  ],
  [
    'toJson',
    (v) => {
      try {
        return toJson(v ?? null);
      } catch {
        return '';
      }
    },
  ],
  ['mustToJson', (v) => toJson(v ?? null)],
  [
    'toRawJson',
    (v) =>
      toJson(v ?? null)
        .replace(/\\u003c/g, '<')
        .replace(/\\u003e/g, '>')
        .replace(/\\u0026/g, '&'),
  ],
  [
    'mustToRawJson',
    (v) =>
      toJson(v ?? null)
        .replace(/\\u003c/g, '<')
        .replace(/\\u003e/g, '>')
        .replace(/\\u0026/g, '&'),
  ],
  ['toPrettyJson', (v) => toJson(v ?? null, '  ')],
  ['mustToPrettyJson', (v) => toJson(v ?? null, '  ')],
  [
    'fromJson',
    (s) => {
      try {
        return fromJsonText(str(s, 'fromJson'));
      } catch (e) {
        return errorMap(e);
      }
    },
  ],
  [
    'mustFromJson',
    (s) => {
      try {
        return fromJsonText(str(s, 'mustFromJson'));
      } catch (e) {
        throw new FuncError(e instanceof Error ? e.message : String(e));
      }
    },
  ],
  [
    'fromJsonArray',
    (s) => {
      try {
        const v = fromJsonText(str(s, 'fromJsonArray'));
        return Array.isArray(v) ? v : [err('expected an array')];
      } catch (e) {
        return [e instanceof Error ? e.message : String(e)];
      }
    },
  ],
  [
    'toToml',
    (v) => {
      try {
        return stringifyToml(toData(v ?? null) as Record<string, unknown>);
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    },
  ],
  [
    'fromToml',
    (s) => {
      try {
        return fromPlain(parseToml(str(s, 'fromToml')));
      } catch (e) {
        return errorMap(e);
      }
    },
  ],
];

function err(msg: string): string {
  return msg;
}
