import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { StrataError } from './errors.js';
import { HashSession, hashThreadAvailable } from './hash-thread.js';

export type DigestErrorCode = 'DIGEST_INVALID' | 'DIGEST_MISMATCH' | 'SIZE_MISMATCH' | 'DIGEST_UNVERIFIED';
export class DigestError extends StrataError<DigestErrorCode> {}

const ALGORITHMS: Record<string, { node: string; hexLength: number }> = {
  sha256: { node: 'sha256', hexLength: 64 },
  sha512: { node: 'sha512', hexLength: 128 },
};

export interface ParsedDigest {
  readonly algorithm: string;
  readonly hex: string;
}

/** Parses `algo:hex` as the OCI image spec defines it; only registered algorithms are accepted. */
export function parseDigest(digest: string): ParsedDigest {
  const m = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/.exec(digest);
  const algo = m?.[1] ? ALGORITHMS[m[1]] : undefined;
  if (!m || !algo || m[2]!.length !== algo.hexLength || !/^[a-f0-9]+$/.test(m[2]!)) {
    throw new DigestError('DIGEST_INVALID', `invalid digest "${digest.slice(0, 100)}"`);
  }
  return { algorithm: m[1]!, hex: m[2]! };
}

export function isDigest(value: string): boolean {
  try {
    parseDigest(value);
    return true;
  } catch {
    return false;
  }
}

export function sha256(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function digestOf(algorithm: string, data: Uint8Array): string {
  return `${algorithm}:${createHash(ALGORITHMS[algorithm]?.node ?? algorithm)
    .update(data)
    .digest('hex')}`;
}

/** Verifies a whole buffer against an expected digest (and size, when known). */
export function verifyBuffer(data: Uint8Array, expected: string, what: string, size?: number): void {
  const { algorithm } = parseDigest(expected);
  if (size !== undefined && size >= 0 && data.length !== size) {
    throw new DigestError(
      'SIZE_MISMATCH',
      `${what}: size ${data.length} does not match the expected ${size}`,
    );
  }
  const actual = digestOf(algorithm, data);
  if (actual !== expected) {
    throw new DigestError('DIGEST_MISMATCH', `${what}: content digest ${actual} does not match ${expected}`);
  }
}

/** Blobs at least this large are hashed on the hash thread (below it, its start-up is not worth it). */
export const OFF_THREAD_MIN_BYTES = 8 * 1024 * 1024;

/**
 * A pass-through stream that hashes what flows through it and fails at the end (before the
 * consumer sees end-of-stream) when the digest or size does not match. Consumers therefore never
 * take a result from a blob that lied about its content. A blob whose expected size is at least
 * {@link OFF_THREAD_MIN_BYTES} is hashed on the hash thread (core/hash-thread.ts), in parallel with
 * whatever consumes the stream; the end still waits for the digest.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash | undefined;
  private readonly session: HashSession | undefined;
  private readonly expected: string;
  private readonly expectedSize: number | undefined;
  private readonly what: string;
  private seen = 0;

  constructor(expected: string, what: string, expectedSize?: number) {
    super();
    const { algorithm } = parseDigest(expected);
    this.expected = expected;
    this.expectedSize = expectedSize !== undefined && expectedSize >= 0 ? expectedSize : undefined;
    this.what = what;
    const node = ALGORITHMS[algorithm]!.node;
    const offThread =
      this.expectedSize !== undefined && this.expectedSize >= OFF_THREAD_MIN_BYTES && hashThreadAvailable();
    this.session = offThread ? new HashSession(node) : undefined;
    this.hash = this.session ? undefined : createHash(node);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.expectedSize !== undefined && this.seen > this.expectedSize) {
      cb(
        new DigestError(
          'SIZE_MISMATCH',
          `${this.what}: content does not match its digest (more than the expected ${this.expectedSize} bytes)`,
        ),
      );
      return;
    }
    if (!this.session) {
      this.hash!.update(chunk);
      cb(null, chunk);
      return;
    }
    const written = this.session.write(chunk);
    if (written === true) {
      cb(null, chunk);
      return;
    }
    // the ring is full: the hash thread is behind the consumer; go on once it took the chunk
    void written.then(() => {
      const failed = this.session!.failure;
      if (failed) cb(this.unverified(failed));
      else cb(null, chunk);
    });
  }

  override _flush(cb: TransformCallback): void {
    if (this.expectedSize !== undefined && this.seen !== this.expectedSize) {
      this.session?.abort();
      cb(
        new DigestError(
          'SIZE_MISMATCH',
          `${this.what}: content does not match its digest (got ${this.seen} bytes, expected ${this.expectedSize}: truncated blob)`,
        ),
      );
      return;
    }
    const algorithm = parseDigest(this.expected).algorithm;
    const check = (hex: string): void => {
      const actual = `${algorithm}:${hex}`;
      if (actual !== this.expected) {
        cb(
          new DigestError(
            'DIGEST_MISMATCH',
            `${this.what}: content digest ${actual} does not match ${this.expected}`,
          ),
        );
        return;
      }
      cb();
    };
    if (!this.session) {
      check(this.hash!.digest('hex'));
      return;
    }
    this.session.digest().then(check, (err: Error) => cb(this.unverified(err)));
  }

  /** the hash thread failed: the content cannot be verified, which is never taken as verified */
  private unverified(cause: Error): DigestError {
    return new DigestError(
      'DIGEST_UNVERIFIED',
      `${this.what}: cannot verify the content digest (${cause.message})`,
      { cause, userError: false },
    );
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.session?.abort();
    cb(err);
  }
}

/**
 * A short digest of a configuration value (the secret rules of a layer-cache key): JSON with
 * patterns, functions, maps and sets written as their source or entries, so one rule set has one text.
 */
export function stableDigest(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof RegExp) return `/${v.source}/${v.flags}`;
    if (typeof v === 'function') return `fn:${v.toString()}`;
    if (v instanceof Map || v instanceof Set) return [...v];
    return v;
  });
  return createHash('sha256')
    .update(text ?? '')
    .digest('hex')
    .slice(0, 32);
}
