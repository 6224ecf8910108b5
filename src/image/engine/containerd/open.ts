import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { VerifyingStream, verifyBuffer } from '../../../core/digest.js';
import { ImageError } from '../../errors.js';
import { createHandle } from '../../handle.js';
import type { Descriptor } from '../../manifest.js';
import { MAX_MANIFEST_BYTES } from '../../manifest.js';
import { formatReference, parseReference } from '../../reference.js';
import { type ContentSource, resolveImage } from '../../resolve.js';
import type { OpenOptions } from '../../types.js';
import { type Attempt, connectionAttempt } from '../attempt.js';
import { containerdNamespaces, type Endpoint, formatEndpoint } from '../endpoint.js';
import { ContainerdClient } from './client.js';
import { GRPC_STATUS, GrpcError } from './grpc.js';

/** containerd keeps images by their full name: `myapp:dev` is `docker.io/library/myapp:dev`. */
function candidateNames(name: string): string[] {
  const names = [name];
  try {
    const full = formatReference(parseReference(name));
    if (full !== name) names.push(full);
  } catch {
    // not a reference: only the name as given
  }
  return names;
}

async function readAll(stream: Readable, max: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > max) {
      stream.destroy();
      throw new ImageError('TOO_LARGE', `${what} is larger than ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function contentSource(client: ContainerdClient, namespace: string, where: string): ContentSource {
  const read = async (d: Descriptor, max: number, what: string): Promise<Buffer> => {
    const bytes = await readAll(
      client.readContent(namespace, d.digest),
      max,
      `${where}: ${what} ${d.digest}`,
    );
    try {
      verifyBuffer(bytes, d.digest, `${where}: ${what} ${d.digest}`, d.size);
    } catch (cause) {
      throw new ImageError('DIGEST_MISMATCH', (cause as Error).message, { cause });
    }
    return bytes;
  };
  return {
    where,
    readManifest: (d) => read(d, MAX_MANIFEST_BYTES, 'manifest'),
    readBlob: (d, max) => read(d, max, 'blob'),
    async openBlob(d, signal) {
      const raw = client.readContent(namespace, d.digest, signal);
      const verifier = new VerifyingStream(d.digest, `${where}: blob ${d.digest}`, d.size);
      raw.on('error', (err) => verifier.destroy(err));
      return raw.pipe(verifier);
    },
  };
}

async function findImage(
  client: ContainerdClient,
  name: string,
): Promise<{ namespace: string; name: string; target: Descriptor } | undefined> {
  for (const namespace of containerdNamespaces()) {
    for (const candidate of candidateNames(name)) {
      try {
        const image = await client.getImage(namespace, candidate);
        if (image?.target?.digest) return { namespace, name: image.name, target: image.target };
      } catch (err) {
        if (err instanceof GrpcError && err.status === GRPC_STATUS.NOT_FOUND) continue;
        throw err;
      }
    }
  }
  return undefined;
}

/**
 * An image from containerd's content store: Images.Get (namespaces `k8s.io`, then `default`, or
 * `CONTAINERD_NAMESPACE`) names the root descriptor; the index, manifest, config and layers are
 * read with Content.Read and verified as a registry's would be. Layers stream as stored.
 */
export async function openContainerdImage(
  endpoint: Endpoint,
  name: string,
  options: OpenOptions,
): Promise<Attempt> {
  if (endpoint.kind === 'unsupported') return { kind: 'absent', reason: endpoint.reason };
  if (endpoint.kind !== 'unix') {
    return { kind: 'absent', reason: `${formatEndpoint(endpoint)}: containerd listens on a unix socket` };
  }
  if (!existsSync(endpoint.path))
    return { kind: 'absent', reason: `no daemon at ${formatEndpoint(endpoint)}` };
  const client = new ContainerdClient(endpoint.path);
  let found: Awaited<ReturnType<typeof findImage>>;
  try {
    found = await findImage(client, name);
  } catch (err) {
    client.close();
    if (err instanceof GrpcError && err.status === GRPC_STATUS.UNAVAILABLE) {
      return { kind: 'absent', reason: `no daemon at ${formatEndpoint(endpoint)} (${err.message})` };
    }
    return connectionAttempt(err, endpoint);
  }
  if (!found) {
    client.close();
    return { kind: 'missing', reason: `no image ${name} in namespaces ${containerdNamespaces().join(', ')}` };
  }
  try {
    const where = `containerd (${found.namespace}) ${found.name}`;
    const source = contentSource(client, found.namespace, where);
    const target: Descriptor = {
      mediaType: found.target.mediaType,
      digest: found.target.digest,
      size: found.target.size,
    };
    const bytes = await source.readManifest(target);
    const image = await resolveImage(
      source,
      { bytes, digest: target.digest, mediaType: target.mediaType },
      options.platform,
    );
    let repository: string | undefined;
    try {
      const ref = parseReference(found.name);
      repository = `${ref.registry}/${ref.repository}`;
    } catch {
      repository = undefined;
    }
    return {
      kind: 'found',
      image: createHandle({
        name,
        digest: image.manifestDigest,
        ...(image.indexDigest ? { indexDigest: image.indexDigest } : {}),
        ...(repository ? { repository } : {}),
        config: image.config,
        configDigest: image.configDigest,
        rawConfig: image.rawConfig,
        manifestMediaType: image.manifestMediaType,
        layers: image.layers,
        open: async (i, signal) => ({ kind: 'tar', stream: await source.openBlob(image.blobs[i]!, signal) }),
        close: async () => client.close(),
      }),
    };
  } catch (err) {
    client.close();
    // an image of another platform: the next source may have the one asked for
    if (err instanceof ImageError && err.code === 'PLATFORM_NOT_FOUND')
      return { kind: 'missing', reason: err.message };
    throw err;
  }
}
