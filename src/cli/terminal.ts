/** Columns of a report that goes nowhere near a terminal (a pipe, a file), as most CI logs show. */
export const DEFAULT_WIDTH = 120;

interface Stream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * The width the table fits: `COLUMNS` when set to a positive integer (as shells and Trivy honour it),
 * else the terminal's own width when stdout is one, else 120.
 */
export function terminalWidth(
  stream: Stream | undefined = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const columns = Number(env.COLUMNS);
  if (env.COLUMNS && Number.isInteger(columns) && columns > 0) return columns;
  if (stream?.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  return DEFAULT_WIDTH;
}

/** Colours only on a terminal, and never when `NO_COLOR` is set to anything (no-color.org). */
export function useColor(
  stream: Stream | undefined = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return Boolean(stream?.isTTY) && !env.NO_COLOR;
}
