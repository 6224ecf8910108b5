/** One endpoint to probe: an address (IPv4, IPv6 or a name) and a TCP port. */
export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  /** the address checked and connected to (resolveTargets pins names to it); default `host` */
  readonly address?: string;
}

/** What the TLS handshake showed, when the endpoint spoke TLS. */
export interface TlsInfo {
  readonly used: boolean;
  /** the chain verified against the system CA store and the name matched the host */
  readonly valid?: boolean;
  /** why it did not verify (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`, ...) */
  readonly reason?: string;
  readonly subject?: string;
}

/**
 * The only requests a probe may make: reads. `POST` is allowed for exactly one purpose, etcd's
 * JSON gateway range call, which reads keys (the path is checked again before sending).
 */
export type ProbeRequest =
  | { readonly method: 'GET'; readonly path: string; readonly accept?: string }
  | {
      readonly method: 'POST';
      readonly path: EtcdRangePath;
      readonly json: Readonly<Record<string, unknown>>;
    };

export type EtcdRangePath = '/v3/kv/range' | '/v3beta/kv/range';

export interface ProbeResponse {
  readonly url: string;
  readonly method: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** the body, capped (see MAX_BODY_BYTES) */
  readonly body: string;
  readonly tls: TlsInfo;
}

export type Scheme = 'https' | 'http';

export interface ProbeOptions {
  /** per request, milliseconds (default 3000) */
  readonly timeoutMs?: number;
  /** endpoints probed at once (default 16) */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}
