import type { DatabaseLocation } from './config.js';
import { PostgresStore } from './store/postgres.js';
import { SqliteStore } from './store/sqlite.js';
import type { Store } from './store/types.js';

/** Opens the store the location names and runs its migrations. */
export async function openStore(location: DatabaseLocation): Promise<Store> {
  const store = location.kind === 'sqlite' ? new SqliteStore(location.file) : new PostgresStore(location.url);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}
