import type { DatabaseLocation } from './config.js';
import { ServerError } from './errors.js';
import { SqliteStore } from './store/sqlite.js';
import type { Store } from './store/types.js';

/** Opens the store the location names and runs its migrations. */
export async function openStore(location: DatabaseLocation): Promise<Store> {
  switch (location.kind) {
    case 'sqlite': {
      const store = new SqliteStore(location.file);
      await store.migrate();
      return store;
    }
    case 'postgres':
      throw new ServerError(
        'DATABASE',
        'PostgreSQL mode is not available in this build yet; use the embedded database',
      );
  }
}
