import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { manifestByteLimit, readStream } from './index.js';

/** An endless stream of zero bytes, like `strata config - < /dev/zero`; counts what was pulled. */
function endless(): Readable & { pulled: number } {
  const chunk = Buffer.alloc(64 * 1024);
  const s = new Readable({
    read() {
      s.pulled += chunk.length;
      this.push(chunk);
    },
  }) as Readable & { pulled: number };
  s.pulled = 0;
  return s;
}

describe('stdin (-) is read up to a cap', () => {
  it('stops reading an endless stream at the cap and says so', async () => {
    const stdin = endless();
    await expect(readStream(stdin, 1024 * 1024)).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(stdin.pulled).toBeLessThan(2 * 1024 * 1024);
    expect(stdin.destroyed).toBe(true);
  });
});

describe('the manifest cap follows the heap', () => {
  const MiB = 1024 * 1024;
  it.each([
    [560 * MiB, 13_841_203],
    [4144 * MiB, 107_793_612],
    [12_000 * MiB, 256 * MiB],
    [64 * MiB, 1 * MiB],
  ])('a heap of %d bytes reads manifests up to %d bytes', (heap, cap) => {
    expect(manifestByteLimit(heap)).toBe(cap);
  });
});
