import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decompressionLimits } from '../../core/limits.js';
import { openDockerArchive } from '../archive/docker-archive.js';
import { formatPlatform, normalizePlatform, platformMatches } from '../platform.js';
import { parseReference } from '../reference.js';
import type { ImageHandle, OpenOptions } from '../types.js';
import { type Attempt, connectionAttempt } from './attempt.js';
import { EngineApi, type EngineImageInfo } from './docker-api.js';
import { type Endpoint, formatEndpoint } from './endpoint.js';
import { type ScratchDir, scratchDir } from './scratch-dir.js';

/** TLS material for a tcp:// Docker daemon with DOCKER_TLS_VERIFY (the docker CLI's files). */
function dockerTls(env: NodeJS.ProcessEnv): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const dir = env.DOCKER_CERT_PATH ?? join(env.HOME ?? '', '.docker');
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : undefined);
  const [ca, cert, key] = [read('ca.pem'), read('cert.pem'), read('key.pem')];
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

/** The registry digest the engine knows the image by, preferring the asked repository's. */
function repoDigest(name: string, info: EngineImageInfo): { digest: string; repository: string } | undefined {
  let wanted: string | undefined;
  try {
    const ref = parseReference(name);
    wanted = `${ref.registry}/${ref.repository}`;
  } catch {
    wanted = undefined;
  }
  const parsed = info.repoDigests.flatMap((text) => {
    try {
      const ref = parseReference(text);
      return ref.digest ? [{ digest: ref.digest, repository: `${ref.registry}/${ref.repository}` }] : [];
    } catch {
      return [];
    }
  });
  return parsed.find((p) => p.repository === wanted) ?? parsed[0];
}

/**
 * An image from the Docker Engine API (Docker, or Podman's compatible service): inspected, then
 * saved (`GET /images/{name}/get`) into a temporary docker-archive, capped at
 * STRATA_MAX_IMAGE_BYTES, which the archive reader opens; the file goes when the handle closes.
 */
export async function openEngineApiImage(
  engine: 'docker' | 'podman',
  endpoint: Endpoint,
  name: string,
  options: OpenOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Attempt> {
  if (endpoint.kind === 'unsupported') return { kind: 'absent', reason: endpoint.reason };
  if (endpoint.kind === 'unix' && !existsSync(endpoint.path)) {
    return { kind: 'absent', reason: `no daemon at ${formatEndpoint(endpoint)}` };
  }
  const tls = endpoint.kind === 'tcp' && endpoint.tls ? dockerTls(env) : undefined;
  const api = new EngineApi(engine, endpoint, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(tls ? { tls } : {}),
  });
  let dir: ScratchDir | undefined;
  try {
    let info: EngineImageInfo | undefined;
    try {
      info = await api.inspect(name);
    } catch (err) {
      return connectionAttempt(err, endpoint);
    }
    if (!info) return { kind: 'missing', reason: `no image ${name}` };
    const wanted = options.platform;
    if (wanted && info.platform && !platformMatches(wanted, info.platform)) {
      return {
        kind: 'missing',
        reason: `${name} is ${formatPlatform(normalizePlatform(info.platform))}, not ${formatPlatform(normalizePlatform(wanted))}`,
      };
    }
    dir = scratchDir(options.tempDir ?? tmpdir(), `strata-${engine}-`);
    const file = join(dir.path, 'image.tar');
    await api.save(name, file, decompressionLimits().imageBytes);
    const archive = await openDockerArchive(file, name, `${api.where}: ${name}`);
    const image = withEngineIdentity(archive, name, info, dir);
    dir = undefined;
    return { kind: 'found', image };
  } finally {
    await api.close();
    dir?.remove();
  }
}

/** The archive's handle, named as asked, with the registry digest when the engine knows one. */
function withEngineIdentity(
  archive: ImageHandle,
  name: string,
  info: EngineImageInfo,
  dir: ScratchDir,
): ImageHandle {
  const known = repoDigest(name, info);
  return {
    ...archive,
    name,
    ...(!archive.digest && known ? { digest: known.digest, repository: known.repository } : {}),
    openLayer: (i, signal) => archive.openLayer(i, signal),
    async close() {
      try {
        await archive.close();
      } finally {
        dir.remove();
      }
    },
  };
}
