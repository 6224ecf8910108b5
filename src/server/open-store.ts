import type { DatabaseLocation } from './config.js';
import { ServerError } from './errors.js';
import { PostgresStore } from './store/postgres.js';
import { SqliteStore } from './store/sqlite.js';
import type { Store } from './store/types.js';

export interface OpenStoreOptions {
  /**
   * PostgreSQL only: how long to keep trying while the server refuses connections (a worker or
   * server started while the database restarts waits for it instead of dying); default 0.
   */
  readonly waitMs?: number;
  /** told once when it starts waiting */
  readonly onWait?: (message: string) => void;
}

/** Opens the store the location names and runs its migrations. */
export async function openStore(location: DatabaseLocation, options: OpenStoreOptions = {}): Promise<Store> {
  if (location.kind === 'sqlite') return migrated(new SqliteStore(location.file));
  const end = Date.now() + (options.waitMs ?? 0);
  let told = false;
  for (;;) {
    try {
      return await migrated(new PostgresStore(location.url));
    } catch (err) {
      if (!isConnectFailure(err) || Date.now() >= end) throw err;
      if (!told) options.onWait?.(`${(err as Error).message}; retrying until the database answers`);
      told = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function migrated(store: Store): Promise<Store> {
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}

/** PostgresStore's "cannot connect" (refused, starting up, shutting down), not a failed migration. */
function isConnectFailure(err: unknown): boolean {
  return (
    err instanceof ServerError &&
    err.code === 'DATABASE' &&
    err.message.startsWith('PostgreSQL: cannot connect')
  );
}
