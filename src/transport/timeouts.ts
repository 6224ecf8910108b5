import { TransportError } from './errors.js';

/** How long a request may take, in milliseconds; `deadlineMs` 0 means none. */
export interface Timeouts {
  /** TCP (and proxy tunnel) connection */
  readonly connectMs: number;
  /** no byte of headers or body for this long */
  readonly idleMs: number;
  /** the whole operation: every retry, the headers and the body read, for documents */
  readonly deadlineMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, idleMs: 30_000, deadlineMs: 60_000 };

/** The environment variables that tune the defaults (durations: `500ms`, `10s`, `2m`, or seconds). */
export const TIMEOUT_ENV = {
  connectMs: 'STRATA_CONNECT_TIMEOUT',
  idleMs: 'STRATA_IDLE_TIMEOUT',
  deadlineMs: 'STRATA_REQUEST_DEADLINE',
} as const;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `30s`, `5m`, `1h`, `1m30s`, or a bare number of seconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * UNITS[m[2]!]!;
  return Math.round(total);
}

/** A duration option (flag or variable), or one clear error naming it. */
export function durationOption(name: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new TransportError(
      'INVALID_OPTION',
      `${name}: "${text}" is not a duration (examples: 500ms, 30s, 5m)`,
    );
  }
  return ms;
}

/** The defaults, as the environment adjusts them. */
export function timeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): Timeouts {
  const read = (key: keyof Timeouts): number => {
    const name = TIMEOUT_ENV[key];
    const v = env[name];
    return v === undefined || v === '' ? DEFAULT_TIMEOUTS[key] : durationOption(name, v);
  };
  return { connectMs: read('connectMs'), idleMs: read('idleMs'), deadlineMs: read('deadlineMs') };
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * A signal that ends a whole command after `ms` (`--timeout`): requests in flight fail with a
 * DEADLINE error that says so, instead of holding the command for as long as a server likes.
 */
export function operationDeadline(ms: number, label = '--timeout'): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new TransportError('DEADLINE', `did not finish within ${seconds(ms)} (${label})`)),
    ms,
  );
  timer.unref();
  return controller.signal;
}
