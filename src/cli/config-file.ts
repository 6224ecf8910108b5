import { existsSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { parse } from 'yaml';
import { UsageError } from '../core/errors.js';
import { readInputText } from '../core/safe-read.js';
import { InputError, parseWith, z } from '../core/schema.js';

/**
 * `strata.yaml` and `STRATA_<FLAG>` variables, as `trivy.yaml` and `TRIVY_*` work: a key is a flag's
 * long name (`severity`, `exit-code`, `ignore-unfixed`, `include-dev` for `--no-include-dev`), at the
 * top level (every command that has the flag) or in a section named after a command (`image:`,
 * `fs:`, `k8s:`, `db:` ...; it wins over the top level for that command) or after one of Trivy's flag
 * groups (`scan:`, `vulnerability:`, `report:`, `registry:`). Lists are joined with commas.
 * Precedence: flag > environment > config file > default.
 */
export const DEFAULT_CONFIG_FILE = 'strata.yaml';
const TRIVY_GROUPS = ['scan', 'vulnerability', 'report', 'registry'] as const;
/** `STRATA_PASSWORD` already means the signing key's password, never the registry's `--password`. */
const NO_ENV = new Set(['password']);

type Value = string | boolean;
export interface ConfigFile {
  readonly file: string;
  readonly top: ReadonlyMap<string, Value>;
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, Value>>;
}

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Entry = z.union([Scalar, z.array(Scalar), z.record(z.string(), z.unknown())]);
const Document = z.record(z.string(), Entry, { error: 'is not a mapping of flag names' });

/** The flag name a key means: `--no-include-dev` is `include-dev`. */
export function flagKey(option: Option): string | undefined {
  return option.long?.replace(/^--/, '').replace(/^no-/, '');
}

function walk(cmd: Command, out: Command[] = []): Command[] {
  out.push(cmd);
  for (const sub of cmd.commands) walk(sub, out);
  return out;
}

/** Every flag key of a command and its subcommands. */
function flagsOf(cmd: Command): Set<string> {
  const keys = new Set<string>();
  for (const c of walk(cmd))
    for (const o of c.options) {
      const k = flagKey(o);
      if (k && k !== 'help' && k !== 'version') keys.add(k);
    }
  return keys;
}

function toValue(raw: unknown, where: string): Value {
  if (typeof raw === 'boolean' || typeof raw === 'string') return raw;
  if (typeof raw === 'number') return String(raw);
  if (Array.isArray(raw)) return raw.map(String).join(',');
  throw new InputError(`${where}: expected a value or a list, got a mapping`);
}

/** Reads and checks a config file against the program's flags: an unknown key is an error naming it. */
export function parseConfigFile(file: string, text: string, program: Command): ConfigFile {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: false }) ?? {};
  } catch (cause) {
    throw new InputError(`${file}: not valid YAML`, { cause });
  }
  const entries = parseWith(Document, doc, file);
  const commands = new Map(program.commands.map((c) => [c.name(), c]));
  const everyFlag = flagsOf(program);
  const top = new Map<string, Value>();
  const sections = new Map<string, Map<string, Value>>();
  for (const [key, raw] of Object.entries(entries)) {
    const command = commands.get(key);
    const isGroup = (TRIVY_GROUPS as readonly string[]).includes(key);
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      if (!command && !isGroup) {
        throw new InputError(
          `${file}: ${key}: unknown section (a command name or one of ${TRIVY_GROUPS.join(', ')})`,
        );
      }
      const allowed = command ? flagsOf(command) : everyFlag;
      const values = new Map<string, Value>();
      for (const [k, v] of Object.entries(raw)) {
        if (!allowed.has(k)) {
          throw new InputError(
            `${file}: ${key}.${k}: unknown key (not a flag of ${command ? `strata ${key}` : 'any command'})`,
          );
        }
        values.set(k, toValue(v, `${file}: ${key}.${k}`));
      }
      sections.set(key, values);
    } else {
      if (!everyFlag.has(key))
        throw new InputError(`${file}: ${key}: unknown key (not a flag of any command)`);
      top.set(key, toValue(raw, `${file}: ${key}`));
    }
  }
  return { file, top, sections };
}

/** `--config FILE` (or `$STRATA_CONFIG`), else `strata.yaml` in the working directory when present. */
export function loadConfigFile(named: string | undefined, program: Command): ConfigFile | undefined {
  const file = named ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!file) return undefined;
  return parseConfigFile(file, readInputText(file, { kind: 'config' }), program);
}

export function envName(key: string): string {
  return `STRATA_${key.toUpperCase().replace(/-/g, '_')}`;
}

function asBoolean(value: Value, where: string): boolean {
  if (typeof value === 'boolean') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw new UsageError('INVALID_ARGUMENT', `${where}: "${value}" is not true or false`);
}

function typed(option: Option, value: Value, where: string): Value {
  if (!option.required && !option.optional) return asBoolean(value, where);
  if (typeof value === 'boolean')
    throw new UsageError('INVALID_ARGUMENT', `${where}: expected a value, got ${value}`);
  return value;
}

/** The top-level command name of `cmd` (its section name in the file). */
function sectionName(cmd: Command): string | undefined {
  let at: Command = cmd;
  while (at.parent?.parent) at = at.parent;
  return at.parent ? at.name() : undefined;
}

function fromFile(config: ConfigFile, cmd: Command, key: string): Value | undefined {
  const section = sectionName(cmd);
  const own = section ? config.sections.get(section)?.get(key) : undefined;
  if (own !== undefined) return own;
  for (const group of TRIVY_GROUPS) {
    const v = config.sections.get(group)?.get(key);
    if (v !== undefined) return v;
  }
  return config.top.get(key);
}

/**
 * Fills the options of the command about to run that the command line left unset: from
 * `STRATA_<FLAG>`, else from the config file. Flags typed on the command line always win.
 */
export function applySettings(cmd: Command, config: ConfigFile | undefined, env: NodeJS.ProcessEnv): void {
  for (const option of cmd.options) {
    const key = flagKey(option);
    if (!key || key === 'help' || key === 'version') continue;
    const attr = option.attributeName();
    if (cmd.getOptionValueSource(attr) === 'cli') continue;
    const name = envName(key);
    const fromEnv = NO_ENV.has(key) ? undefined : env[name];
    if (fromEnv !== undefined && fromEnv !== '') {
      cmd.setOptionValueWithSource(attr, typed(option, fromEnv, name), 'env');
      continue;
    }
    const v = config ? fromFile(config, cmd, key) : undefined;
    if (v !== undefined)
      cmd.setOptionValueWithSource(attr, typed(option, v, `${config?.file}: ${key}`), 'config');
  }
}
