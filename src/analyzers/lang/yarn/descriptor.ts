/**
 * The package name in a yarn descriptor: `lodash@^4`, `@types/node@npm:20.1.0`,
 * and aliases `alias@npm:real@^1` (the real name is the one installed).
 */
export function descriptorName(descriptor: string): string | undefined {
  const at = descriptor.indexOf('@', 1);
  if (at < 0) return undefined;
  const name = descriptor.slice(0, at);
  const range = descriptor.slice(at + 1);
  if (range.startsWith('npm:')) {
    const inner = range.slice(4);
    const innerAt = inner.indexOf('@', 1);
    if (innerAt > 0) return inner.slice(0, innerAt);
  }
  return name;
}
