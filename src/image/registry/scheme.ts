/**
 * Registries that may be reached over plain HTTP without `--insecure`: the loopback host in
 * every spelling (`localhost`, `*.localhost`, `127.0.0.1`, `::1`/`[::1]`), each with an
 * optional port. As go-containerregistry's `name.Registry.Scheme()` and its ping do, HTTPS
 * (verified) is still tried first; plain HTTP only when TLS does not connect. Private
 * (RFC 1918) addresses are deliberately not included: there a downgrade could be forced by
 * anyone on the network, so they keep needing `--insecure`.
 */
const LOOPBACK = /^(?:localhost|[a-z0-9.-]+\.localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$|^::1$/i;

export function isLoopbackRegistry(registry: string): boolean {
  return LOOPBACK.test(registry);
}
