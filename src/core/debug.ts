/**
 * `--debug`: what a scan does, one line at a time, handed to the caller's sink (the CLI writes it to
 * stderr, redacted). Scans take the sink as an option (`onDebug`), like `onProgress`; nothing here is
 * global, and without a sink every call is a no-op that builds no message.
 */
export type DebugSink = (message: string) => void;

export interface DebugLog {
  readonly enabled: boolean;
  /** one line; a function is called only when debugging is on */
  log(message: string | (() => string)): void;
  /** runs `step` and logs `what (took)` after it, also when it throws */
  time<T>(what: string | ((value: T) => string), step: () => Promise<T>): Promise<T>;
}

const SILENT: DebugLog = {
  enabled: false,
  log: () => {},
  time: (_what, step) => step(),
};

export function debugLog(
  sink: DebugSink | undefined,
  clock: () => number = () => performance.now(),
): DebugLog {
  if (!sink) return SILENT;
  const log = (message: string | (() => string)) => sink(typeof message === 'string' ? message : message());
  return {
    enabled: true,
    log,
    async time<T>(what: string | ((value: T) => string), step: () => Promise<T>): Promise<T> {
      const start = clock();
      try {
        const value = await step();
        log(`${typeof what === 'string' ? what : what(value)} in ${formatDuration(clock() - start)}`);
        return value;
      } catch (err) {
        log(`${typeof what === 'string' ? what : 'step'} failed after ${formatDuration(clock() - start)}`);
        throw err;
      }
    },
  };
}

/** `512 B`, `3.4 KiB`, `12.0 MiB`, `1.5 GiB` */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `850 ms`, `12.3 s`, `4 min 05 s` */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** `5 h`, `3 days` — how old a database or cache is */
export function formatAge(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 1) return `${Math.max(0, Math.round(ms / 60_000))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.floor(hours / 24)} days`;
}
