/** Path helpers for `FileMeta.path` (normalised, `/`-separated, no leading slash). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function segments(path: string): string[] {
  return path.split('/');
}

export function insideNodeModules(path: string): boolean {
  return path.startsWith('node_modules/') || path.includes('/node_modules/');
}
