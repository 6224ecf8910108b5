import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DigestError, OFF_THREAD_MIN_BYTES, VerifyingStream } from './digest.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** `data` in chunks of `chunk` bytes through a VerifyingStream; resolves to what came out. */
async function through(data: Buffer, expected: string, size: number | undefined, chunk = 1 << 20) {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunk) parts.push(data.subarray(i, i + chunk));
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(parts),
    new VerifyingStream(expected, 'blob under test', size),
    async (src) => {
      for await (const c of src) out.push(c as Buffer);
    },
  );
  return Buffer.concat(out);
}

describe('VerifyingStream', () => {
  const big = randomBytes(OFF_THREAD_MIN_BYTES + 3 * (1 << 20) + 17);

  it('passes a large blob through unchanged and ends when its digest matches (hashed on the hash thread)', async () => {
    const out = await through(big, sha(big), big.length);
    expect(out.equals(big)).toBe(true);
  });

  it('fails a large blob whose content does not match, before the consumer sees its end', async () => {
    const other = Buffer.from(big);
    other.writeUInt8(other.readUInt8(other.length - 1) ^ 1, other.length - 1);
    const err = await through(other, sha(big), big.length).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DigestError);
    expect((err as DigestError).code).toBe('DIGEST_MISMATCH');
    expect((err as DigestError).message).toMatch(
      /^blob under test: content digest sha256:[0-9a-f]{64} does not match/,
    );
  });

  it('fails a truncated or overlong large blob by size', async () => {
    const short = await through(big.subarray(0, big.length - 1), sha(big), big.length).catch(
      (e: unknown) => e,
    );
    expect((short as DigestError).code).toBe('SIZE_MISMATCH');
    const long = await through(big, sha(big), big.length - 1).catch((e: unknown) => e);
    expect((long as DigestError).code).toBe('SIZE_MISMATCH');
  });

  it('verifies several large blobs streamed at the same time, in chunks of any size (one shared ring)', async () => {
    const blobs = [randomBytes(20 << 20), randomBytes(OFF_THREAD_MIN_BYTES), randomBytes(12 << 20)];
    const outs = await Promise.all(
      blobs.map((b, i) => through(b, sha(b), b.length, [(3 << 20) + 1, 65_536, 9 << 20][i])),
    );
    for (const [i, o] of outs.entries()) expect(o.equals(blobs[i]!)).toBe(true);
    const bad = Buffer.from(blobs[0]!);
    bad.writeUInt8(bad.readUInt8(0) ^ 1, 0);
    const results = await Promise.allSettled([
      through(bad, sha(blobs[0]!), bad.length),
      through(blobs[2]!, sha(blobs[2]!), blobs[2]!.length),
    ]);
    expect(results[0].status).toBe('rejected');
    expect(results[1].status).toBe('fulfilled');
  });

  it('a consumer that stops early leaves nothing pending: the next blob still verifies', async () => {
    const v = new VerifyingStream(sha(big), 'blob under test', big.length);
    v.write(big.subarray(0, 1 << 20));
    v.destroy();
    await new Promise((r) => v.on('close', r));
    const out = await through(big, sha(big), big.length);
    expect(out.length).toBe(big.length);
  });

  it('hashes a small blob on the main thread as before', async () => {
    const small = randomBytes(1000);
    expect((await through(small, sha(small), small.length, 100)).equals(small)).toBe(true);
    const err = await through(small, sha(big), small.length).catch((e: unknown) => e);
    expect((err as DigestError).code).toBe('DIGEST_MISMATCH');
  });
});
