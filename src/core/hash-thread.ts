import { Worker } from 'node:worker_threads';

/**
 * SHA digests of large blobs computed on a worker thread, so that verifying a layer's digest runs
 * on the second core beside the tar walk instead of taking its turn on the main thread (on the
 * peers bench, hashing was a sixth of the main thread's time on an uncompressed 600 MiB
 * docker-archive). One worker per process, started on first use and unref'd whenever no digest is
 * pending (it never keeps the process alive). Bytes reach the worker through one shared ring of
 * RING_BYTES: a chunk is copied in, the worker hashes it in place and hands the space back, so
 * memory stays flat however far the walk runs ahead; a writer waits while the ring is full.
 */

const RING_BYTES = 8 * 1024 * 1024;

// The worker: one hash per session id, fed from the ring in the order pieces were written.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const ring = new Uint8Array(workerData.ring);
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'data') {
    const h = hashes.get(m.id);
    if (h) h.update(ring.subarray(m.off, m.off + m.len));
    parentPort.postMessage({ id: m.id, ack: m.len });
  } else if (m.op === 'start') {
    hashes.set(m.id, createHash(m.algorithm));
  } else if (m.op === 'end') {
    const h = hashes.get(m.id);
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, hex: h ? h.digest('hex') : undefined });
  } else if (m.op === 'abort') {
    hashes.delete(m.id);
  }
});
`;

interface Reply {
  readonly id: number;
  readonly ack?: number;
  readonly hex?: string;
}

interface Pending {
  failure?: Error;
  resolve(hex: string): void;
  reject(err: Error): void;
}

interface Thread {
  readonly worker: Worker;
  readonly ring: Uint8Array;
  /** where the next piece is written */
  head: number;
  /** bytes written and not yet hashed */
  used: number;
  /** writers waiting for ring space, woken on each acknowledgement */
  waiters: (() => void)[];
}

let thread: Thread | undefined;
let broken: Error | undefined;
let nextId = 1;
const sessions = new Map<number, Pending>();
let active = 0;

function failAll(err: Error): void {
  if (!thread) return;
  broken = err;
  const waiters = thread.waiters;
  thread = undefined;
  for (const s of sessions.values()) {
    s.failure = err;
    s.reject(err);
  }
  sessions.clear();
  active = 0;
  for (const w of waiters) w();
}

function theThread(): Thread {
  if (thread) return thread;
  const shared = new SharedArrayBuffer(RING_BYTES);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { ring: shared },
    stdout: false,
    stderr: false,
  });
  const t: Thread = { worker, ring: new Uint8Array(shared), head: 0, used: 0, waiters: [] };
  worker.on('message', (m: Reply) => {
    if (m.ack !== undefined) {
      t.used -= m.ack;
      const waiters = t.waiters;
      t.waiters = [];
      for (const w of waiters) w();
      return;
    }
    const s = sessions.get(m.id);
    if (!s) return;
    sessions.delete(m.id);
    if (--active === 0) worker.unref();
    if (m.hex === undefined) s.reject(new Error('the hash thread lost the digest'));
    else s.resolve(m.hex);
  });
  worker.on('error', (err) => failAll(err instanceof Error ? err : new Error(String(err))));
  worker.on('exit', (code) => failAll(new Error(`the hash thread exited (code ${code})`)));
  worker.unref();
  thread = t;
  return t;
}

/** One digest being computed on the hash thread. */
export class HashSession {
  private readonly id = nextId++;
  private readonly t: Thread;
  private readonly state: Pending;
  private readonly done: Promise<string>;
  private ended = false;

  constructor(algorithm: string) {
    this.t = theThread();
    let resolve!: (hex: string) => void;
    let reject!: (err: Error) => void;
    this.done = new Promise<string>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // an aborted session's rejection must not surface as an unhandled one
    this.done.catch(() => undefined);
    this.state = { resolve, reject };
    sessions.set(this.id, this.state);
    if (active++ === 0) this.t.worker.ref();
    this.t.worker.postMessage({ op: 'start', id: this.id, algorithm });
  }

  /** Why the hash thread could not finish this digest, once it failed. */
  get failure(): Error | undefined {
    return this.state.failure;
  }

  /**
   * Copies `chunk` into the ring for the worker: true when all of it went in at once, else a
   * promise that settles once the rest did (the ring was full), or the thread failed (see failure).
   */
  write(chunk: Uint8Array): true | Promise<void> {
    const rest = this.put(chunk);
    if (rest === undefined) return true;
    return new Promise<void>((resolve) => {
      const retry = (from: Uint8Array): void => {
        if (this.state.failure) {
          resolve();
          return;
        }
        const left = this.put(from);
        if (left === undefined) resolve();
        else this.t.waiters.push(() => retry(left));
      };
      this.t.waiters.push(() => retry(rest));
    });
  }

  /** Writes what fits; returns what did not. */
  private put(chunk: Uint8Array): Uint8Array | undefined {
    const t = this.t;
    let data = chunk;
    while (data.byteLength > 0) {
      const free = t.ring.byteLength - t.used;
      if (free === 0) return data;
      const n = Math.min(data.byteLength, free, t.ring.byteLength - t.head);
      t.ring.set(data.subarray(0, n), t.head);
      t.worker.postMessage({ op: 'data', id: this.id, off: t.head, len: n });
      t.head = (t.head + n) % t.ring.byteLength;
      t.used += n;
      data = data.subarray(n);
    }
    return undefined;
  }

  /** The hex digest of everything written. */
  digest(): Promise<string> {
    if (!this.ended && !this.state.failure) {
      this.ended = true;
      this.t.worker.postMessage({ op: 'end', id: this.id });
    }
    return this.done;
  }

  /** Drops the session (the stream was destroyed before its end). */
  abort(): void {
    if (this.ended || !sessions.has(this.id)) return;
    this.ended = true;
    sessions.delete(this.id);
    this.t.worker.postMessage({ op: 'abort', id: this.id });
    if (--active === 0) this.t.worker.unref();
  }
}

/** Whether the hash thread can be used (it is not, once it failed to start or died). */
export function hashThreadAvailable(): boolean {
  return broken === undefined;
}
