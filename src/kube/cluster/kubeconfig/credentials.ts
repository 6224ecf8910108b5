import { StrataError } from '../../../core/errors.js';
import { readInputFile, readInputText } from '../../../core/safe-read.js';
import { ClusterError } from '../errors.js';
import { ExecCredentialSource, type ExecSourceOptions } from './exec.js';
import type { ExecClusterInfo } from './exec-run.js';
import type { Located } from './merge.js';
import type { KubeUser } from './schema.js';
import type { ClientCertificate, CredentialKind, Credentials } from './types.js';

/** kubectl 1.26+ dropped the in-tree auth providers; name the plugin that replaced each one. */
const PROVIDER_PLUGINS: Record<string, string> = {
  gcp: 'gke-gcloud-auth-plugin',
  azure: 'kubelogin (Azure)',
  oidc: 'kubelogin (kubectl oidc-login)',
};

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

export function userLabel(user: Pick<Located<unknown>, 'file' | 'field' | 'name'>): string {
  return `${user.file}: ${user.field} "${user.name}"`;
}

/** Inline `<key>-data` (base64, wins as in kubectl) or a file (already resolved against its kubeconfig). */
export function material(section: Record<string, unknown>, key: string, label: string): Buffer | undefined {
  const data = section[`${key}-data`];
  if (typeof data === 'string' && data !== '') {
    if (!BASE64.test(data)) throw new ClusterError('KUBECONFIG_INVALID', `${label}: ${key}-data: not base64`);
    return Buffer.from(data, 'base64');
  }
  const path = section[key];
  if (typeof path !== 'string' || path === '') return undefined;
  try {
    return readInputFile(path, { kind: 'kubeconfig' });
  } catch (err) {
    const why =
      err instanceof StrataError && err.code === 'FILE_NOT_FOUND' ? 'no such file' : 'cannot be read';
    throw new ClusterError('KUBECONFIG_INVALID', `${label}: ${key}: ${path}: ${why}`, { cause: err });
  }
}

interface Parts {
  readonly kinds: readonly CredentialKind[];
  readonly description: string;
  readonly token?: string;
  readonly tokenFile?: string;
  readonly basic?: { readonly username: string; readonly password: string };
  readonly certificate?: ClientCertificate;
  readonly exec?: ExecCredentialSource;
  readonly label: string;
}

class KubeconfigCredentials implements Credentials {
  readonly kinds: readonly CredentialKind[];
  readonly description: string;
  readonly #parts: Parts;

  constructor(parts: Parts) {
    this.#parts = parts;
    this.kinds = parts.kinds;
    this.description = parts.description;
  }

  #readTokenFile(path: string): string {
    let text: string;
    try {
      text = readInputText(path, { kind: 'key' });
    } catch (err) {
      const why =
        err instanceof StrataError && err.code === 'FILE_NOT_FOUND' ? 'no such file' : 'cannot be read';
      throw new ClusterError('KUBECONFIG_INVALID', `${this.#parts.label}: tokenFile ${path}: ${why}`, {
        cause: err,
      });
    }
    const token = text.trim();
    if (!token)
      throw new ClusterError('KUBECONFIG_INVALID', `${this.#parts.label}: tokenFile ${path} is empty`);
    return token;
  }

  async token(): Promise<string | undefined> {
    const p = this.#parts;
    // client-go: the file, read again on use, wins over an inline token
    if (p.tokenFile) return this.#readTokenFile(p.tokenFile);
    if (p.token) return p.token;
    if (p.exec) return (await p.exec.get()).token;
    return undefined;
  }

  basic(): { readonly username: string; readonly password: string } | undefined {
    return this.#parts.basic;
  }

  async clientCertificate(): Promise<ClientCertificate | undefined> {
    const p = this.#parts;
    if (p.certificate) return p.certificate;
    if (p.exec) return (await p.exec.get()).certificate;
    return undefined;
  }

  async rejected(token: string | undefined): Promise<boolean> {
    const p = this.#parts;
    if (p.tokenFile) return this.#readTokenFile(p.tokenFile) !== token;
    if (p.exec) return p.exec.rejected(token);
    return false;
  }

  toJSON(): Record<string, unknown> {
    return { kinds: this.kinds, description: this.description };
  }
}

export interface CredentialOptions {
  readonly exec?: ExecSourceOptions;
  /** KUBERNETES_EXEC_INFO's cluster, passed on when the exec entry sets `provideClusterInfo` */
  readonly cluster: ExecClusterInfo;
}

function execSource(
  user: Located<KubeUser>,
  exec: NonNullable<KubeUser['exec']>,
  options: CredentialOptions,
): ExecCredentialSource {
  const label = userLabel(user);
  const mode = exec.interactiveMode ?? undefined;
  if (!mode && exec.apiVersion === 'client.authentication.k8s.io/v1') {
    throw new ClusterError(
      'KUBECONFIG_INVALID',
      `${label}: exec.interactiveMode must be set with apiVersion client.authentication.k8s.io/v1`,
    );
  }
  if (mode === 'Always') {
    throw new ClusterError(
      'AUTH_UNSUPPORTED',
      `${label}: exec.interactiveMode Always needs a terminal on standard input; Strata never runs a credential plugin interactively (use Never or IfAvailable)`,
    );
  }
  return new ExecCredentialSource(
    { label, exec, ...(exec.provideClusterInfo ? { cluster: options.cluster } : {}) },
    options.exec,
  );
}

/**
 * The credentials of one kubeconfig user, checked as kubectl checks them. Static credentials
 * (token, basic auth, client certificate) win over an exec plugin, as in client-go.
 */
export function credentialsFor(user: Located<KubeUser> | undefined, options: CredentialOptions): Credentials {
  if (!user) return new KubeconfigCredentials({ kinds: ['none'], description: 'no credentials', label: '' });
  const u = user.value ?? {};
  const label = userLabel(user);
  const provider = u['auth-provider'];
  if (provider) {
    const plugin = PROVIDER_PLUGINS[provider.name];
    throw new ClusterError(
      'AUTH_UNSUPPORTED',
      `${label}: auth-provider "${provider.name}" is not supported (kubectl removed auth providers in 1.26); use an exec credential plugin${plugin ? ` such as ${plugin}` : ''}`,
    );
  }
  const token = u.token || undefined;
  const tokenFile = u.tokenFile || undefined;
  const basic =
    u.username || u.password ? { username: u.username ?? '', password: u.password ?? '' } : undefined;
  if ((token || tokenFile) && basic) {
    throw new ClusterError(
      'KUBECONFIG_INVALID',
      `${label}: more than one authentication method (token and username/password); only one is allowed`,
    );
  }
  const cert = material(u, 'client-certificate', label);
  const key = material(u, 'client-key', label);
  if (Boolean(cert) !== Boolean(key)) {
    throw new ClusterError('KUBECONFIG_INVALID', `${label}: client-certificate and client-key go together`);
  }
  const certificate = cert && key ? { cert, key } : undefined;
  const kinds: CredentialKind[] = [];
  if (tokenFile) kinds.push('token-file');
  else if (token) kinds.push('token');
  if (basic) kinds.push('basic');
  if (certificate) kinds.push('client-certificate');
  const exec = kinds.length === 0 && u.exec ? execSource(user, u.exec, options) : undefined;
  if (exec) kinds.push('exec');
  if (kinds.length === 0) kinds.push('none');
  const description = exec
    ? `exec plugin "${exec.command}" of user "${user.name}"`
    : `${kinds.join(' + ')} of user "${user.name}"`;
  return new KubeconfigCredentials({
    kinds,
    description,
    label,
    ...(token ? { token } : {}),
    ...(tokenFile ? { tokenFile } : {}),
    ...(basic ? { basic } : {}),
    ...(certificate ? { certificate } : {}),
    ...(exec ? { exec } : {}),
  });
}
