const MASK = '********';

/**
 * A secret made safe to print: at most the first and last few characters, a fixed-width mask in
 * between (so the length does not leak either). Short values are masked whole.
 */
export function redact(value: string): string {
  const compact = value.replace(/\s+/g, '');
  const chars = [...compact];
  const keep = chars.length >= 20 ? 4 : chars.length >= 12 ? 2 : chars.length >= 8 ? 1 : 0;
  if (keep === 0) return MASK;
  return chars.slice(0, keep).join('') + MASK + chars.slice(chars.length - keep).join('');
}
