import { discard, type HttpResponse, readBody, sanitize } from '../../transport/index.js';
import { ImageError } from '../errors.js';
import type { Credentials } from './docker-config.js';
import { parseTokenResponse } from './responses.js';
import type { AuthChallenge } from './www-authenticate.js';

/** Sends a GET for the token service (retries and TLS are the client's). */
export type TokenFetcher = (req: {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array;
}) => Promise<HttpResponse>;

interface Token {
  readonly value: string;
  readonly expiresAt: number;
}

export function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
}

/**
 * Answers registry challenges: Basic with the user's credentials, Bearer by asking the token
 * service named in the challenge (realm, service, scope), with the credentials when there are
 * any (anonymous otherwise). Tokens are cached per registry and scope until they expire.
 */
export class Authenticator {
  private readonly challenges = new Map<string, AuthChallenge>();
  private readonly tokens = new Map<string, Token>();

  constructor(
    private readonly credentialsFor: (registry: string) => Credentials | undefined,
    private readonly fetchToken: TokenFetcher,
    private readonly now: () => number = Date.now,
  ) {}

  /** The Authorization header to send up front, once the registry's scheme is known. */
  async authorize(registry: string, scope: string): Promise<string | undefined> {
    const challenge = this.challenges.get(registry);
    if (!challenge) return undefined;
    return this.answer(registry, challenge, scope, false);
  }

  /** After a 401: remembers the challenge and returns a fresh Authorization header. */
  async onChallenge(
    registry: string,
    challenge: AuthChallenge,
    scope: string,
    what: string,
  ): Promise<string> {
    this.challenges.set(registry, challenge);
    const value = await this.answer(registry, challenge, scope, true, what);
    if (value === undefined) {
      throw new ImageError(
        'UNAUTHORIZED',
        `${what}: authentication required; give credentials (--username/--password or docker login)`,
      );
    }
    return value;
  }

  private async answer(
    registry: string,
    challenge: AuthChallenge,
    scope: string,
    fresh: boolean,
    what = registry,
  ): Promise<string | undefined> {
    const creds = this.credentialsFor(registry);
    if (challenge.scheme === 'basic') return creds ? basicHeader(creds) : undefined;
    const key = `${registry} ${scope}`;
    const cached = this.tokens.get(key);
    if (!fresh && cached && cached.expiresAt > this.now()) return `Bearer ${cached.value}`;
    const token = await this.requestToken(challenge, scope, creds, what);
    this.tokens.set(key, token);
    return `Bearer ${token.value}`;
  }

  private async requestToken(
    challenge: AuthChallenge,
    scope: string,
    creds: Credentials | undefined,
    what: string,
  ): Promise<Token> {
    const realm = challenge.params.realm;
    if (!realm) throw new ImageError('UNAUTHORIZED', `${what}: Bearer challenge without a realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch (cause) {
      throw new ImageError('UNAUTHORIZED', `${what}: Bearer realm "${sanitize(realm)}" is not a URL`, {
        cause,
      });
    }
    const res = await this.fetchToken(tokenRequest(url, challenge.params.service, scope, creds));
    if (res.status === 401 || res.status === 403) {
      discard(res);
      throw new ImageError(
        res.status === 401 ? 'UNAUTHORIZED' : 'DENIED',
        `${what}: the token service ${url.host} refused ${creds ? `user "${creds.username}"` : 'anonymous access'} (${res.status})`,
      );
    }
    if (res.status !== 200) {
      discard(res);
      throw new ImageError('REGISTRY_ERROR', `${what}: token service ${url.host} answered ${res.status}`);
    }
    const body = await readBody(res);
    return parseTokenResponse(body, this.now(), `${what}: token service ${url.host}`);
  }
}

/**
 * The token request: GET with Basic credentials (docker token spec), or, with an identity
 * (refresh) token, the OAuth2 POST form `grant_type=refresh_token` (docker oauth spec).
 */
export function tokenRequest(
  realm: URL,
  service: string | undefined,
  scope: string,
  creds: Credentials | undefined,
): Parameters<TokenFetcher>[0] {
  const scopes = scope.split(' ').filter(Boolean);
  if (creds?.identityToken) {
    const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: 'strata' });
    if (service) form.set('service', service);
    if (scopes.length > 0) form.set('scope', scopes.join(' '));
    form.set('refresh_token', creds.identityToken);
    return {
      method: 'POST',
      url: realm,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(form.toString()),
    };
  }
  const url = new URL(realm);
  if (service) url.searchParams.set('service', service);
  for (const s of scopes) url.searchParams.append('scope', s);
  return { method: 'GET', url, headers: creds ? { authorization: basicHeader(creds) } : {} };
}
