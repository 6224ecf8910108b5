import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { ClusterError } from './errors.js';

/** Everything needed to talk to one API server, resolved from a kubeconfig context. */
export interface ClusterConfig {
  readonly context: string;
  /** `https://host:port` (no trailing slash) */
  readonly server: string;
  readonly namespace?: string;
  readonly ca?: Buffer;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  readonly auth:
    | { readonly type: 'none' }
    | { readonly type: 'token'; readonly token: string }
    | { readonly type: 'basic'; readonly username: string; readonly password: string }
    | { readonly type: 'client-cert'; readonly cert: Buffer; readonly key: Buffer };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `$KUBECONFIG` (first entry) or `~/.kube/config`. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = env.KUBECONFIG?.split(delimiter).find((p) => p !== '');
  return first ?? join(homedir(), '.kube', 'config');
}

function named(doc: Obj, field: string, name: string, file: string): Obj {
  const list = doc[field];
  const entry = Array.isArray(list) ? list.find((e) => isObj(e) && e.name === name) : undefined;
  const inner = isObj(entry) ? entry[field.slice(0, -1)] : undefined;
  if (!isObj(inner)) {
    throw new ClusterError('KUBECONFIG_INVALID', `${file}: ${field}: no entry named "${name}"`);
  }
  return inner;
}

/** Inline `*-data` (base64) or a file path relative to the kubeconfig's directory. */
function material(section: Obj, key: string, file: string): Buffer | undefined {
  const data = str(section[`${key}-data`]);
  if (data) return Buffer.from(data, 'base64');
  const path = str(section[key]);
  if (!path) return undefined;
  const full = isAbsolute(path) ? path : join(dirname(file), path);
  try {
    return readFileSync(full);
  } catch (err) {
    throw new ClusterError('KUBECONFIG_INVALID', `${file}: ${key}: cannot read ${full}`, { cause: err });
  }
}

function authOf(user: Obj, file: string): ClusterConfig['auth'] {
  if (user.exec !== undefined || user['auth-provider'] !== undefined) {
    throw new ClusterError(
      'AUTH_UNSUPPORTED',
      `${file}: users: exec and auth-provider credential plugins are not supported; use a token, a client certificate or basic auth`,
    );
  }
  const cert = material(user, 'client-certificate', file);
  const key = material(user, 'client-key', file);
  if (cert && key) return { type: 'client-cert', cert, key };
  if (cert || key) {
    throw new ClusterError(
      'KUBECONFIG_INVALID',
      `${file}: users: client-certificate and client-key go together`,
    );
  }
  const tokenFile = str(user.tokenFile);
  const token =
    str(user.token) ??
    (tokenFile
      ? readFileSync(isAbsolute(tokenFile) ? tokenFile : join(dirname(file), tokenFile), 'utf8').trim()
      : undefined);
  if (token) return { type: 'token', token };
  const username = str(user.username);
  const password = str(user.password);
  if (username && password) return { type: 'basic', username, password };
  return { type: 'none' };
}

/** Parses a kubeconfig once, at the edge, and resolves one context (the current one by default). */
export function loadKubeconfig(file: string = defaultKubeconfigPath(), contextName?: string): ClusterConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ClusterError('KUBECONFIG_NOT_FOUND', `kubeconfig not found: ${file}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ClusterError('KUBECONFIG_INVALID', `${file}: not valid YAML`, { cause: err });
  }
  if (!isObj(doc))
    throw new ClusterError('KUBECONFIG_INVALID', `${file}: not a kubeconfig (expected a mapping)`);
  const context = contextName ?? str(doc['current-context']);
  if (!context) throw new ClusterError('CONTEXT_NOT_FOUND', `${file}: no current-context; pass --context`);
  const contexts = Array.isArray(doc.contexts) ? doc.contexts : [];
  if (!contexts.some((c) => isObj(c) && c.name === context)) {
    throw new ClusterError('CONTEXT_NOT_FOUND', `${file}: context "${context}" not found`);
  }
  const ctx = named(doc, 'contexts', context, file);
  const clusterName = str(ctx.cluster);
  if (!clusterName)
    throw new ClusterError('KUBECONFIG_INVALID', `${file}: contexts.${context}.cluster is missing`);
  const cluster = named(doc, 'clusters', clusterName, file);
  const server = str(cluster.server);
  if (!server || !/^https?:\/\//.test(server)) {
    throw new ClusterError(
      'KUBECONFIG_INVALID',
      `${file}: clusters.${clusterName}.server must be an http(s) URL`,
    );
  }
  const userName = str(ctx.user);
  const user = userName ? named(doc, 'users', userName, file) : {};
  const ca = material(cluster, 'certificate-authority', file);
  const namespace = str(ctx.namespace);
  const tlsServerName = str(cluster['tls-server-name']);
  return {
    context,
    server: server.replace(/\/+$/, ''),
    ...(namespace ? { namespace } : {}),
    ...(ca ? { ca } : {}),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    ...(tlsServerName ? { tlsServerName } : {}),
    auth: authOf(user, file),
  };
}
