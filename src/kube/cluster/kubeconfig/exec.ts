import {
  type ExecCredentialResult,
  type ExecRequest,
  type ExecRunOptions,
  runExecPlugin,
} from './exec-run.js';

export interface ExecSourceOptions extends ExecRunOptions {
  /** the clock (tests) */
  readonly now?: () => number;
  /** the runner (tests) */
  readonly run?: (request: ExecRequest, options: ExecRunOptions) => Promise<ExecCredentialResult>;
}

/**
 * One exec plugin's credential, cached as client-go caches it: reused until its
 * `expirationTimestamp`, then the plugin runs again; requests made meanwhile share one run.
 * A 401 from the API server re-runs the plugin once (a revoked token, a rotated key).
 */
export class ExecCredentialSource {
  readonly #request: ExecRequest;
  readonly #options: ExecSourceOptions;
  #cached: ExecCredentialResult | undefined;
  #running: Promise<ExecCredentialResult> | undefined;
  #rerunsAfter401 = 0;
  #runs = 0;

  constructor(request: ExecRequest, options: ExecSourceOptions = {}) {
    this.#request = request;
    this.#options = options;
  }

  /** how many times the plugin was started */
  get runs(): number {
    return this.#runs;
  }

  get command(): string {
    return this.#request.exec.command;
  }

  #fresh(c: ExecCredentialResult): boolean {
    return c.expiresAt === undefined || (this.#options.now ?? Date.now)() < c.expiresAt;
  }

  #start(): Promise<ExecCredentialResult> {
    this.#runs++;
    const run = this.#options.run ?? runExecPlugin;
    const running = run(this.#request, this.#options).then(
      (c) => {
        this.#cached = c;
        this.#running = undefined;
        return c;
      },
      (err: unknown) => {
        this.#running = undefined;
        throw err;
      },
    );
    this.#running = running;
    return running;
  }

  /** The current credential, running the plugin when there is none or it expired. */
  get(): Promise<ExecCredentialResult> {
    if (this.#running) return this.#running;
    if (this.#cached && this.#fresh(this.#cached)) return Promise.resolve(this.#cached);
    this.#cached = undefined;
    return this.#start();
  }

  /** A request made with `token` got 401: true when a retry will use a newer credential. */
  rejected(token: string | undefined): boolean {
    if (this.#running) return true;
    if (this.#cached && this.#cached.token !== token) return true;
    if (this.#rerunsAfter401 >= 1) return false;
    this.#rerunsAfter401++;
    this.#cached = undefined;
    // started now, so concurrent 401s on the same token share this one run
    this.#start().catch(() => undefined);
    return true;
  }
}
