import { homedir } from 'node:os';
import { join } from 'node:path';

/** SPEC.md: `$STRATA_DB`, else `~/.cache/strata/db/strata.db`. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.STRATA_DB;
  if (fromEnv) return fromEnv;
  return join(homedir(), '.cache', 'strata', 'db', 'strata.db');
}
