import { createWriteStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatBytes } from '../../core/limits.js';
import { z } from '../../core/schema.js';
import {
  errorText,
  HttpClient,
  type HttpResponse,
  readBody,
  sanitize,
  timeoutsFromEnv,
} from '../../transport/index.js';
import { ImageError } from '../errors.js';
import { readImageJson } from '../read-json.js';
import type { Platform } from '../types.js';
import { type Endpoint, formatEndpoint } from './endpoint.js';

/** The fields of `GET /images/{name}/json` Strata reads. */
export interface EngineImageInfo {
  /** the config digest (the image id) */
  readonly id: string;
  readonly repoTags: readonly string[];
  /** `repo@sha256:...`: the manifest digests the image is known by in registries */
  readonly repoDigests: readonly string[];
  /** the image's platform, when the engine says (Docker and Podman do) */
  readonly platform?: Platform;
}

const Strings = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);
const Inspect = z
  .object({
    Id: z.string(),
    RepoTags: Strings,
    RepoDigests: Strings,
    Os: z.string().optional(),
    Architecture: z.string().optional(),
    Variant: z.string().optional(),
  })
  .transform(
    (v): EngineImageInfo => ({
      id: v.Id,
      repoTags: v.RepoTags,
      repoDigests: v.RepoDigests,
      ...(v.Architecture
        ? {
            platform: {
              os: v.Os || 'linux',
              architecture: v.Architecture,
              ...(v.Variant ? { variant: v.Variant } : {}),
            },
          }
        : {}),
    }),
  );

/** Counts bytes on their way to disk and fails past the cap (a daemon that streams for ever). */
class ByteCap extends Transform {
  private seen = 0;
  constructor(
    private readonly cap: number,
    private readonly what: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.cap) {
      cb(
        new ImageError(
          'TOO_LARGE',
          `${this.what}: the saved image is larger than ${formatBytes(this.cap)} (STRATA_MAX_IMAGE_BYTES)`,
        ),
      );
      return;
    }
    cb(null, chunk);
  }
}

/**
 * The Docker Engine API (Docker, and Podman's compatible service) over a unix socket or TCP:
 * inspect an image, and save it as a docker-archive. Timeouts are the transport's; no proxy.
 */
export class EngineApi {
  private readonly client: HttpClient;
  private readonly base: URL;
  private readonly idleMs = timeoutsFromEnv().idleMs;
  private readonly signal: AbortSignal | undefined;
  private readonly tls: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  readonly where: string;

  constructor(
    readonly engine: string,
    private readonly endpoint: Exclude<Endpoint, { kind: 'unsupported' }>,
    options: { signal?: AbortSignal; tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer } } = {},
  ) {
    this.where = `${engine} (${formatEndpoint(endpoint)})`;
    this.signal = options.signal;
    this.tls = options.tls ?? {};
    const { HTTP_PROXY: _, HTTPS_PROXY: __, http_proxy: ___, https_proxy: ____, ...env } = process.env;
    const scheme = endpoint.kind === 'tcp' && endpoint.tls ? 'https' : 'http';
    this.base =
      endpoint.kind === 'unix'
        ? new URL('http://localhost/')
        : new URL(
            `${scheme}://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}/`,
          );
    this.client = new HttpClient({
      env,
      retry: { retries: 0 },
      userAgent: 'strata',
      ...(endpoint.kind === 'unix' ? { socketPath: endpoint.path } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
    });
  }

  private url(name: string, action: 'json' | 'get'): URL {
    const path = name.split('/').map(encodeURIComponent).join('/');
    return new URL(`images/${path}/${action}`, this.base);
  }

  private async failure(res: HttpResponse, name: string): Promise<ImageError> {
    const text = await errorText(res);
    return new ImageError('ENGINE_ERROR', `${this.where}: ${name}: HTTP ${res.status}: ${text}`);
  }

  /** The image's identity, or undefined when the engine has no image by that name. */
  async inspect(name: string): Promise<EngineImageInfo | undefined> {
    const res = await this.client.request({ method: 'GET', url: this.url(name, 'json'), kind: 'api-object' });
    if (res.status === 404) {
      await errorText(res);
      return undefined;
    }
    if (res.status !== 200) throw await this.failure(res, name);
    const body = await readBody(res);
    return readImageJson(Inspect, body, `${this.where}: ${name}`, 'the inspect answer', 'ENGINE_ERROR');
  }

  /**
   * `docker save NAME` into `file`, at most `maxBytes`. Streamed with node:http, not undici:
   * undici read Docker's chunked save at 1-2 MB/s here (a 175 MB image: 531 s, 800 MB RSS)
   * where node:http and curl take 3 s. Same idle timeout and cancellation as the transport.
   */
  async save(name: string, file: string, maxBytes: number): Promise<void> {
    const url = this.url(name, 'get');
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const common = {
        path: url.pathname,
        headers: { 'user-agent': 'strata' },
        timeout: this.idleMs,
        ...(this.signal ? { signal: this.signal } : {}),
      };
      const req =
        this.endpoint.kind === 'unix'
          ? http.get({ ...common, socketPath: this.endpoint.path }, resolve)
          : this.endpoint.tls
            ? https.get(
                { ...common, host: this.endpoint.host, port: this.endpoint.port, ...this.tls },
                resolve,
              )
            : http.get({ ...common, host: this.endpoint.host, port: this.endpoint.port }, resolve);
      req.on('timeout', () =>
        req.destroy(
          new ImageError(
            'ENGINE_ERROR',
            `${this.where}: ${name}: no data for ${this.idleMs} ms (STRATA_IDLE_TIMEOUT)`,
          ),
        ),
      );
      req.on('error', reject);
    });
    if (res.statusCode !== 200) {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const c of res as AsyncIterable<Buffer>) {
        chunks.push(c);
        total += c.length;
        if (total > 64 * 1024) break;
      }
      res.destroy();
      const text = sanitize(Buffer.concat(chunks).toString('utf8'), 200);
      throw new ImageError('ENGINE_ERROR', `${this.where}: ${name}: HTTP ${res.statusCode}: ${text}`);
    }
    await pipeline(res, new ByteCap(maxBytes, `${this.where}: ${name}`), createWriteStream(file));
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
