import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type ApiOptions, buildApi } from '../api/app.js';
import { Metrics } from '../metrics.js';
import { SqliteStore } from '../store/sqlite.js';
import { generateToken, type Scope } from '../tokens.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** An API on a migrated in-memory store with one token per scope, for route tests. */
export interface TestApi {
  readonly store: SqliteStore;
  readonly app: FastifyInstance;
  /** the secret of the token of each scope */
  readonly tokens: Record<Scope, string>;
  /** `app.inject` with the scope's bearer token (and a JSON payload when given) */
  call(method: Method, url: string, scope: Scope, payload?: object): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** One token per scope in `store`: their secrets by scope. */
export async function createScopeTokens(store: SqliteStore): Promise<Record<Scope, string>> {
  const tokens: Record<Scope, string> = { read: '', scan: '', admin: '' };
  for (const scope of ['read', 'scan', 'admin'] as const) {
    const t = generateToken();
    await store.createToken({ id: t.id, name: scope, scope, hash: t.hash });
    tokens[scope] = t.secret;
  }
  return tokens;
}

/** Starts the API (rate limit 600/min, 4 KiB bodies, no logger unless `options` say otherwise). */
export async function startTestApi(
  options: Partial<Omit<ApiOptions, 'store' | 'metrics'>> = {},
): Promise<TestApi> {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  const tokens = await createScopeTokens(store);
  const app = await buildApi({
    store,
    metrics: new Metrics(store),
    rateLimit: 600,
    bodyLimit: 4096,
    logger: false,
    ...options,
  });
  return {
    store,
    app,
    tokens,
    call: (method, url, scope, payload) =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${tokens[scope]}` },
        ...(payload ? { payload } : {}),
      }),
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
