import { Readable } from 'node:stream';
import type { Descriptor } from '../../manifest.js';
import { GrpcClient } from './grpc.js';
import {
  GET_IMAGE,
  getImageRequest,
  getImageResponse,
  READ_CONTENT,
  readContentRequest,
  readContentResponse,
} from './messages.js';

/**
 * containerd's API on its unix socket: Images.Get and Content.Read, each in a namespace (the
 * `containerd-namespace` metadata every call carries).
 */
export class ContainerdClient {
  private readonly grpc: GrpcClient;

  constructor(socketPath: string) {
    this.grpc = new GrpcClient(socketPath);
  }

  async getImage(
    namespace: string,
    name: string,
  ): Promise<{ name: string; target?: Descriptor } | undefined> {
    const answer = await this.grpc.unary(GET_IMAGE, getImageRequest(name), {
      'containerd-namespace': namespace,
    });
    return getImageResponse(answer);
  }

  /** A blob's bytes as a stream (the caller verifies digest and size). */
  readContent(namespace: string, digest: string, signal?: AbortSignal): Readable {
    const messages = this.grpc.call(
      READ_CONTENT,
      readContentRequest(digest),
      { 'containerd-namespace': namespace },
      signal,
    );
    return Readable.from(
      (async function* () {
        for await (const m of messages) {
          const { data } = readContentResponse(m);
          if (data.length > 0) yield Buffer.from(data);
        }
      })(),
      { objectMode: false },
    );
  }

  close(): void {
    this.grpc.close();
  }
}
