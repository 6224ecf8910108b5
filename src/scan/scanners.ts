import { UsageError } from '../core/errors.js';

export const SCANNERS = ['vuln', 'secret', 'misconfig'] as const;
export type Scanner = (typeof SCANNERS)[number];

/** `--scanners vuln,secret` -> the set, refusing unknown names with a clear line. */
export function parseScanners(value: string | undefined, fallback: readonly Scanner[]): Scanner[] {
  if (value === undefined) return [...fallback];
  const out: Scanner[] = [];
  for (const raw of value.split(',')) {
    const s = raw.trim();
    if (!s) continue;
    if (!(SCANNERS as readonly string[]).includes(s)) {
      throw new UsageError(
        'INVALID_ARGUMENT',
        `--scanners: unknown scanner "${s}" (one of ${SCANNERS.join(', ')})`,
      );
    }
    if (!out.includes(s as Scanner)) out.push(s as Scanner);
  }
  return out;
}
