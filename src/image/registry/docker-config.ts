import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { readInputFile } from '../../core/safe-read.js';
import { tolerant, validEntries, z } from '../../core/schema.js';
import { ImageError } from '../errors.js';
import { readImageJson } from '../read-json.js';
import { DOCKER_HUB } from '../reference.js';

export interface Credentials {
  readonly username: string;
  readonly password: string;
  /** an OAuth2 refresh token (`identitytoken`, or a helper's `<token>` user), traded at the token service */
  readonly identityToken?: string;
}

interface AuthEntry {
  readonly auth?: string;
  readonly identitytoken?: string;
  readonly username?: string;
  readonly password?: string;
}

/** The parts of `~/.docker/config.json` that hold registry credentials. */
export interface DockerConfig {
  readonly path: string;
  readonly auths: Readonly<Record<string, AuthEntry>>;
  readonly credHelpers: Readonly<Record<string, string>>;
  readonly credsStore?: string;
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json` (as the docker CLI looks). */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(home, '.docker', 'config.json');
}

// Entries of the wrong shape are skipped, as they always were: a stray field must not lock a user out.
const AuthEntrySchema = z
  .object({
    auth: tolerant(z.string()),
    identitytoken: tolerant(z.string()),
    username: tolerant(z.string()),
    password: tolerant(z.string()),
  })
  .transform(
    (v): AuthEntry => ({
      ...(v.auth !== undefined ? { auth: v.auth } : {}),
      ...(v.identitytoken ? { identitytoken: v.identitytoken } : {}),
      ...(v.username !== undefined ? { username: v.username } : {}),
      ...(v.password !== undefined ? { password: v.password } : {}),
    }),
  );

const DockerConfigFile = z.object({
  auths: tolerant(validEntries(AuthEntrySchema)),
  credHelpers: tolerant(validEntries(z.string())),
  credsStore: tolerant(z.string()),
});

/** What `docker-credential-<name> get` prints. */
const HelperAnswer = z.object({ Username: z.string(), Secret: z.string() });

/** Reads a docker config; a missing file means no credentials, an unreadable one is an error. */
export function loadDockerConfig(path: string): DockerConfig | undefined {
  let bytes: Buffer;
  try {
    // a regular file of sane size only: $DOCKER_CONFIG may name anything
    bytes = readInputFile(path, { kind: 'config' });
  } catch (err) {
    if (err instanceof UsageError && err.code === 'FILE_NOT_FOUND') return undefined;
    throw new ImageError('UNAUTHORIZED', `${path}: cannot read docker config`, { cause: err });
  }
  const doc = readImageJson(DockerConfigFile, bytes, path, 'docker config', 'UNAUTHORIZED');
  return {
    path,
    auths: doc.auths ?? {},
    credHelpers: doc.credHelpers ?? {},
    ...(doc.credsStore ? { credsStore: doc.credsStore } : {}),
  };
}

/** `https://index.docker.io/v1/` -> `index.docker.io`; `host:port/path` -> `host:port`. */
export function normalizeAuthKey(key: string): string {
  const host = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0] ?? '';
  return host.toLowerCase();
}

const HUB_KEYS = new Set(['index.docker.io', 'docker.io', 'registry-1.docker.io']);

function sameRegistry(key: string, registry: string): boolean {
  const k = normalizeAuthKey(key);
  return registry === DOCKER_HUB ? HUB_KEYS.has(k) : k === registry.toLowerCase();
}

function decodeEntry(entry: AuthEntry, where: string): Credentials | undefined {
  const identity = entry.identitytoken ? { identityToken: entry.identitytoken } : {};
  if (entry.auth) {
    const text = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon <= 0) throw new ImageError('UNAUTHORIZED', `${where}: "auth" is not base64 of user:password`);
    return { username: text.slice(0, colon), password: text.slice(colon + 1), ...identity };
  }
  if (entry.identitytoken) return { username: '<token>', password: '', ...identity };
  if (entry.username && entry.password !== undefined)
    return { username: entry.username, password: entry.password };
  return undefined;
}

/** A credential helper that has not answered in this long is killed. */
export const HELPER_TIMEOUT_MS = 15_000;

/**
 * Why a helper failed, for the error line: its exit status or the timeout, and the first line of
 * its stderr. Never its stdout: that is where a helper writes the secret, and a helper that
 * fails after (or while) writing it must not have it printed.
 */
function helperFailure(out: ReturnType<typeof spawnSync>, timeoutMs: number): Error {
  const code = (out.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT') return new Error(`no answer in ${timeoutMs / 1000} s; killed`);
  if (code === 'ENOENT') return new Error('not found on PATH');
  if (out.error && code !== 'EPIPE') return new Error(code ?? out.error.message);
  const first =
    String(out.stderr ?? '')
      .trim()
      .split('\n')[0]
      ?.slice(0, 200) ?? '';
  const status = out.signal ? `killed by ${out.signal}` : `exit ${out.status}`;
  return new Error(first ? `${status}: ${first}` : status);
}

/** Asks a docker credential helper (`docker-credential-<name> get`), as the docker CLI does. */
function fromHelper(
  helper: string,
  registry: string,
  where: string,
  timeoutMs = HELPER_TIMEOUT_MS,
): Credentials | undefined {
  const server = registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
  const out = spawnSync(`docker-credential-${helper}`, ['get'], {
    input: server,
    encoding: 'utf8',
    timeout: timeoutMs,
    // SIGKILL: a helper that ignores SIGTERM would otherwise hold the scan until it chose to exit
    killSignal: 'SIGKILL',
    maxBuffer: 1024 * 1024,
  });
  // EPIPE only says the helper did not read the server name; its exit status tells the rest
  const failed = (out.error && (out.error as NodeJS.ErrnoException).code !== 'EPIPE') || out.status !== 0;
  if (failed) {
    if (out.status !== null && /credentials not found/i.test(out.stdout ?? '')) return undefined;
    throw new ImageError('UNAUTHORIZED', `${where}: credential helper docker-credential-${helper} failed`, {
      cause: helperFailure(out, timeoutMs),
    });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(out.stdout);
  } catch (cause) {
    throw new ImageError('UNAUTHORIZED', `${where}: docker-credential-${helper} did not answer JSON`, {
      cause,
    });
  }
  const answer = HelperAnswer.safeParse(doc).data;
  if (!answer) return undefined;
  if (answer.Username === '<token>')
    return { username: answer.Username, password: '', identityToken: answer.Secret };
  return { username: answer.Username, password: answer.Secret };
}

/**
 * The credentials docker would use for `registry`: a per-registry credHelper first, then the
 * `auths` entry (base64 `auth` or username/password), then the global credsStore.
 */
export function lookupCredentials(
  config: DockerConfig,
  registry: string,
  options: { readonly helperTimeoutMs?: number } = {},
): Credentials | undefined {
  const where = config.path;
  const helper = Object.entries(config.credHelpers).find(([k]) => sameRegistry(k, registry))?.[1];
  if (helper) return fromHelper(helper, registry, where, options.helperTimeoutMs);
  const keys = Object.keys(config.auths).sort();
  for (const key of keys) {
    if (!sameRegistry(key, registry)) continue;
    const found = decodeEntry(config.auths[key]!, `${where}: auths["${key}"]`);
    if (found) return found;
  }
  return config.credsStore
    ? fromHelper(config.credsStore, registry, where, options.helperTimeoutMs)
    : undefined;
}
