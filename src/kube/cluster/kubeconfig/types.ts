/** A client TLS certificate and its private key, PEM. */
export interface ClientCertificate {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export type CredentialKind = 'none' | 'token' | 'token-file' | 'basic' | 'client-certificate' | 'exec';

/**
 * How requests to one API server authenticate. Secrets stay behind methods (and `#private` fields
 * in the implementation), so no error, `--debug` line, `util.inspect` or JSON dump of a config shows them.
 */
export interface Credentials {
  /** the mechanisms in use, for messages and tests */
  readonly kinds: readonly CredentialKind[];
  /** one safe line for `--debug` (`exec plugin "aws" of user "eks"`), never a secret */
  readonly description: string;
  /** the bearer token for the next request: a tokenFile is re-read, an exec plugin re-run when expired */
  token(): Promise<string | undefined>;
  /** HTTP basic auth (`username`/`password`) */
  basic(): { readonly username: string; readonly password: string } | undefined;
  /** client TLS material: from the kubeconfig or from an exec plugin */
  clientCertificate(): Promise<ClientCertificate | undefined>;
  /**
   * The API server answered 401 to a request made with `token` (undefined when none was sent):
   * drops cached credentials and answers whether one retry may help (an exec plugin is re-run
   * once; a tokenFile whose content changed). A static token answers false.
   */
  rejected(token: string | undefined): Promise<boolean>;
}

/** Everything needed to talk to one API server, resolved from a kubeconfig context. */
export interface ClusterConfig {
  readonly context: string;
  /** `https://host:port` (no trailing slash) */
  readonly server: string;
  readonly namespace?: string;
  readonly ca?: Buffer;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  /** the cluster's `proxy-url` (http, https or socks5), for the HTTP client */
  readonly proxyUrl?: string;
  readonly credentials: Credentials;
  /** the kubeconfig files read, in merge order (display form, `~` for the home directory) */
  readonly files: readonly string[];
}
