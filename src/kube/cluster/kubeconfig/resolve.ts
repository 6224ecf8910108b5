import { ClusterError } from '../errors.js';
import { type CredentialOptions, credentialsFor, material } from './credentials.js';
import type { ExecSourceOptions } from './exec.js';
import type { ExecClusterInfo } from './exec-run.js';
import type { Located, MergedKubeconfig } from './merge.js';
import type { KubeCluster } from './schema.js';
import type { ClusterConfig } from './types.js';

const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';
const PROXY_PROTOCOLS = new Set(['http:', 'https:', 'socks5:']);

const where = (e: Located<unknown>) => `${e.file}: ${e.field} "${e.name}"`;

function checkProxy(cluster: Located<KubeCluster>, proxy: string | undefined): string | undefined {
  if (!proxy) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(proxy);
  } catch {
    url = undefined;
  }
  if (!url || !PROXY_PROTOCOLS.has(url.protocol)) {
    throw new ClusterError(
      'KUBECONFIG_INVALID',
      `${where(cluster)}: proxy-url must be an http, https or socks5 URL`,
    );
  }
  return proxy;
}

function execClusterInfo(c: KubeCluster, server: string, ca: Buffer | undefined): ExecClusterInfo {
  const extension = c.extensions?.find((e) => e.name === EXEC_EXTENSION)?.extension;
  return {
    server,
    ...(c['tls-server-name'] ? { 'tls-server-name': c['tls-server-name'] } : {}),
    ...(c['insecure-skip-tls-verify'] ? { 'insecure-skip-tls-verify': true } : {}),
    ...(ca ? { 'certificate-authority-data': ca.toString('base64') } : {}),
    ...(c['proxy-url'] ? { 'proxy-url': c['proxy-url'] } : {}),
    ...(c['disable-compression'] ? { 'disable-compression': true } : {}),
    ...(extension !== undefined ? { config: extension } : {}),
  };
}

/** Picks one context of a merged kubeconfig (the current one by default) and resolves what it names. */
export function resolveContext(
  merged: MergedKubeconfig,
  contextName: string | undefined,
  exec: ExecSourceOptions = {},
): ClusterConfig {
  const files = merged.files.join(', ');
  const name = contextName ?? merged.currentContext?.name;
  if (!name) throw new ClusterError('CONTEXT_NOT_FOUND', `${files}: no current-context; pass --context`);
  const ctx = merged.contexts.get(name);
  if (!ctx) throw new ClusterError('CONTEXT_NOT_FOUND', `${files}: context "${name}" not found`);
  if (!ctx.value) throw new ClusterError('KUBECONFIG_INVALID', `${where(ctx)}: context is empty`);
  const cluster = merged.clusters.get(ctx.value.cluster);
  if (!cluster?.value) {
    throw new ClusterError(
      'KUBECONFIG_INVALID',
      `${where(ctx)}: cluster "${ctx.value.cluster}" not found in ${files}`,
    );
  }
  const c = cluster.value;
  const server = c.server;
  if (!server || !/^https?:\/\//.test(server)) {
    throw new ClusterError('KUBECONFIG_INVALID', `${where(cluster)}: server must be an http(s) URL`);
  }
  const userName = ctx.value.user;
  const user = userName ? merged.users.get(userName) : undefined;
  if (userName && !user) {
    throw new ClusterError('KUBECONFIG_INVALID', `${where(ctx)}: user "${userName}" not found in ${files}`);
  }
  const ca = material(c, 'certificate-authority', where(cluster));
  const proxyUrl = checkProxy(cluster, c['proxy-url'] ?? undefined);
  const trimmed = server.replace(/\/+$/, '');
  const options: CredentialOptions = { exec, cluster: execClusterInfo(c, trimmed, ca) };
  return {
    context: name,
    server: trimmed,
    ...(ctx.value.namespace ? { namespace: ctx.value.namespace } : {}),
    ...(ca ? { ca } : {}),
    insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
    ...(c['tls-server-name'] ? { tlsServerName: c['tls-server-name'] } : {}),
    ...(proxyUrl ? { proxyUrl } : {}),
    credentials: credentialsFor(user, options),
    files: merged.files,
  };
}
