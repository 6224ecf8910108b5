/**
 * Bump when the tables change; an older file is rebuilt (emptied) by the next import or update.
 * 2: `aliases` (alias and upstream ids -> advisory, for severity from aliased records) and
 * `ecosystems` (every ecosystem an affected entry names).
 * 3: `affected.ranges` and `affected.versions` hold what matching reads (the entry's non-GIT ranges
 * and listed versions, JSON), apart from `affected.data` (the rest, read only for a match).
 */
export const SCHEMA_VERSION = 3;

export const DDL = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS advisories (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  modified TEXT NOT NULL,
  withdrawn TEXT,
  origin TEXT,
  doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS affected (
  advisory_rid INTEGER NOT NULL REFERENCES advisories(rid) ON DELETE CASCADE,
  advisory_id TEXT NOT NULL,
  ecosystem TEXT NOT NULL,
  name TEXT NOT NULL,
  ranges TEXT NOT NULL,
  versions TEXT,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS affected_package ON affected(ecosystem, name);
CREATE INDEX IF NOT EXISTS affected_advisory ON affected(advisory_rid);
CREATE TABLE IF NOT EXISTS aliases (
  advisory_rid INTEGER NOT NULL REFERENCES advisories(rid) ON DELETE CASCADE,
  alias TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS aliases_alias ON aliases(alias);
CREATE INDEX IF NOT EXISTS aliases_advisory ON aliases(advisory_rid);
CREATE TABLE IF NOT EXISTS ecosystems (
  name TEXT PRIMARY KEY
) WITHOUT ROWID;
`;

/** Every table, for rebuilding a database written with an older schema. */
export const TABLES = ['affected', 'aliases', 'ecosystems', 'advisories', 'meta'] as const;
