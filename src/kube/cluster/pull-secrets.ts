import type { ApiClient } from './client.js';

/** One registry login of an image pull secret (`auths[HOST]` of `.dockerconfigjson`, or `.dockercfg`). */
export interface PullSecretAuth {
  /** the key as written (`https://index.docker.io/v1/`, `127.0.0.1:5000`) */
  readonly key: string;
  readonly auth?: string;
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
}

/** A pull secret as read (or why it could not be read: forbidden, absent, not a docker config). */
export type PullSecret =
  | { readonly ok: true; readonly name: string; readonly auths: readonly PullSecretAuth[] }
  | { readonly ok: false; readonly name: string; readonly reason: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strField = (o: Obj, k: string): string | undefined => (typeof o[k] === 'string' ? o[k] : undefined);

function entries(map: unknown): PullSecretAuth[] {
  if (!isObj(map)) return [];
  return Object.entries(map).flatMap(([key, v]) => {
    if (!isObj(v)) return [];
    const auth: Record<string, string> = {};
    for (const f of ['auth', 'username', 'password', 'identitytoken']) {
      const value = strField(v, f);
      if (value !== undefined) auth[f] = value;
    }
    return [{ key, ...auth }];
  });
}

/** The registry logins of a Secret object: `kubernetes.io/dockerconfigjson` or the older `dockercfg`. */
export function parsePullSecret(name: string, secret: unknown): PullSecret {
  const data = isObj(secret) && isObj(secret.data) ? secret.data : undefined;
  const json = data && typeof data['.dockerconfigjson'] === 'string' ? data['.dockerconfigjson'] : undefined;
  const cfg = data && typeof data['.dockercfg'] === 'string' ? data['.dockercfg'] : undefined;
  const raw = json ?? cfg;
  if (raw === undefined)
    return { ok: false, name, reason: 'no .dockerconfigjson or .dockercfg key (not a pull secret)' };
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    return { ok: false, name, reason: `${json ? '.dockerconfigjson' : '.dockercfg'} is not base64 JSON` };
  }
  const auths = json !== undefined ? entries(isObj(doc) ? doc.auths : undefined) : entries(doc);
  return { ok: true, name, auths };
}

/**
 * Reads pull secrets one by one (`GET .../secrets/NAME`, never a list), each once. A secret the
 * credentials may not read (403), or that is gone, is reported with its reason, not thrown: the
 * image is then pulled with the user's docker config.
 */
export class PullSecretReader {
  private readonly cache = new Map<string, Promise<PullSecret>>();

  constructor(private readonly client: ApiClient) {}

  read(namespace: string, name: string): Promise<PullSecret> {
    const key = `${namespace}/${name}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.fetch(namespace, name);
      this.cache.set(key, found);
    }
    return found;
  }

  private async fetch(namespace: string, name: string): Promise<PullSecret> {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`;
    const outcome = await this.client.get(path, 'application/json', 'api-object');
    const ref = `${namespace}/${name}`;
    if (outcome.type === 'ok') return parsePullSecret(ref, outcome.body);
    const reason =
      outcome.type === 'http-error'
        ? outcome.status === 403
          ? 'forbidden (HTTP 403)'
          : outcome.status === 404
            ? 'not found (HTTP 404)'
            : `HTTP ${outcome.status}`
        : outcome.type;
    return { ok: false, name: ref, reason };
  }
}
