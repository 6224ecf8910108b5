/**
 * What a database reader yields while it walks a file: a package header blob (with where it was
 * found, for error messages) or a problem that did not stop the walk.
 */
export type DbRecord =
  | { readonly kind: 'header'; readonly where: string; readonly blob: Buffer }
  | { readonly kind: 'error'; readonly where?: string; readonly message: string };

export type RpmDbFormat = 'sqlite' | 'bdb' | 'ndb';

export const FORMAT_LABELS: Readonly<Record<RpmDbFormat, string>> = {
  sqlite: 'rpm sqlite database',
  bdb: 'rpm BerkeleyDB database',
  ndb: 'rpm NDB database',
};
