import { homedir } from 'node:os';
import { join } from 'node:path';
import { ServerError } from './errors.js';

/** `$XDG_DATA_HOME/strata/server.db`, else `~/.local/share/strata/server.db`: history is data, not cache. */
export function defaultServerDatabase(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'strata', 'server.db');
}

export type DatabaseLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** `--database` / `$STRATA_DATABASE_URL`: a postgres:// URL, a sqlite:PATH or a plain file path. */
export function parseDatabase(
  value: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): DatabaseLocation {
  const v = value || env.STRATA_DATABASE_URL;
  if (!v) return { kind: 'sqlite', file: defaultServerDatabase(env) };
  if (/^postgres(ql)?:\/\//.test(v)) return { kind: 'postgres', url: v };
  return { kind: 'sqlite', file: v.replace(/^sqlite:/, '') };
}

/** `--listen HOST:PORT` (IPv6 as `[::1]:8080`). */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new ServerError('BAD_REQUEST', `--listen "${value}": expected HOST:PORT`);
  return { host: (m[1] ?? m[2]) as string, port };
}
