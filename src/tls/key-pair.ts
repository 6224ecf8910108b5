import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { dirname } from 'node:path';
import { createSecureContext } from 'node:tls';
import { errorMessage } from '../core/errors.js';
import { TlsError } from './errors.js';

export interface KeyPair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Reads the certificate and key, checking they make a TLS context (a matching, parseable pair). */
export function readKeyPair(certFile: string, keyFile: string): KeyPair {
  let pair: KeyPair;
  try {
    pair = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  } catch (err) {
    throw new TlsError('UNREADABLE', `--tls-cert/--tls-key: ${errorMessage(err)}`, { cause: err });
  }
  try {
    createSecureContext(pair);
  } catch (err) {
    throw new TlsError(
      'INVALID_PAIR',
      `${certFile}, ${keyFile}: not a usable certificate and key (${errorMessage(err)})`,
      {
        cause: err,
      },
    );
  }
  return pair;
}

/**
 * The HTTPS servers' certificate reload (`admission serve`, `audit serve`): watches the certificate and key (their directories, as Kubernetes swaps secret volumes by
 * symlink) and polls them, and hands a new pair to `apply` whenever their content changes and
 * makes a valid context; a half-written pair is skipped until the next change or poll.
 */
export class KeyPairWatcher {
  private readonly watchers: FSWatcher[] = [];
  private readonly timer: NodeJS.Timeout;
  private digest: string;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly certFile: string,
    private readonly keyFile: string,
    initial: KeyPair,
    private readonly apply: (pair: KeyPair) => void,
    private readonly onError: (message: string) => void,
    pollMs = 10_000,
  ) {
    this.digest = digestOf(initial);
    for (const dir of new Set([dirname(certFile), dirname(keyFile)])) {
      try {
        const w = watch(dir, () => this.soon());
        w.on('error', () => undefined);
        this.watchers.push(w);
      } catch {
        // polling still catches the change
      }
    }
    this.timer = setInterval(() => this.check(), pollMs);
    this.timer.unref();
  }

  private soon(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => this.check(), 100);
    this.pending.unref();
  }

  /** Re-reads the files now; applies them when they changed. */
  check(): void {
    let pair: KeyPair;
    try {
      pair = readKeyPair(this.certFile, this.keyFile);
    } catch (err) {
      this.onError(errorMessage(err));
      return;
    }
    const d = digestOf(pair);
    if (d === this.digest) return;
    this.digest = d;
    this.apply(pair);
  }

  close(): void {
    clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
    for (const w of this.watchers) w.close();
  }
}

function digestOf(pair: KeyPair): string {
  return createHash('sha256').update(pair.cert).update('\0').update(pair.key).digest('hex');
}
