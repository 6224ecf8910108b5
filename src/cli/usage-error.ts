import { sanitize } from '../transport/light.js';

/**
 * Turns what commander prints for a usage mistake ("error: unknown option '--bogus'\n(Did you mean
 * --bogus2?)") into SPEC.md's one line: `strata: unknown option '--bogus' (Did you mean --bogus2?)`,
 * with a pointer to the help of the command that refused it.
 */
export function usageLine(message: string, commandPath: string): string {
  const text = sanitize(message.replace(/^error:\s*/i, ''), 500);
  return `strata: ${text} (see "${commandPath} --help")\n`;
}

/** The full name of a commander command, e.g. "strata db update". */
export function commandPath(cmd: { name(): string; parent: unknown }): string {
  const names: string[] = [];
  let at: { name(): string; parent: unknown } | null = cmd;
  while (at) {
    names.unshift(at.name());
    at = at.parent as { name(): string; parent: unknown } | null;
  }
  return names.join(' ');
}
