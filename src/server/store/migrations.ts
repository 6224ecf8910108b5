/**
 * Versioned schema migrations, applied in order at start and recorded in `schema_migrations`.
 * Each step is written once per dialect; a new step is appended, never edited.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}

const common = (json: string, text: string): string => `
CREATE TABLE tokens (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, scope TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL, revoked_at TEXT
);
CREATE TABLE credentials (
  id TEXT PRIMARY KEY, registry TEXT NOT NULL UNIQUE, username TEXT NOT NULL, password TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE results (
  id TEXT PRIMARY KEY, dedup_key TEXT NOT NULL UNIQUE, digest TEXT, scanners TEXT NOT NULL,
  target TEXT NOT NULL, result ${json} NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY, type TEXT NOT NULL, payload ${json} NOT NULL, status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL, lease ${text}, lease_until BIGINT,
  error TEXT, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
  result_id TEXT REFERENCES results(id)
);
CREATE INDEX jobs_status ON jobs (status, created_at);
CREATE INDEX jobs_result ON jobs (result_id);
CREATE TABLE findings (
  result_id TEXT NOT NULL REFERENCES results(id), advisory TEXT NOT NULL, aliases TEXT NOT NULL,
  package TEXT, version TEXT, severity TEXT NOT NULL, kind TEXT NOT NULL, finding ${json} NOT NULL
);
CREATE INDEX findings_advisory ON findings (advisory);
CREATE INDEX findings_package ON findings (package, version);
CREATE INDEX findings_result ON findings (result_id);
CREATE TABLE inventories (
  digest TEXT PRIMARY KEY, target TEXT NOT NULL, packages ${json} NOT NULL, updated_at TEXT NOT NULL
);
`;

/**
 * Cluster scans (issue 16): stored kubeconfigs (never returned by the API), each cluster's scan
 * history with the workload images it saw and what changed, watch schedule; findings carry the
 * cluster and namespace they were found in, for the findings query.
 */
const clusters = (json: string): string => `
CREATE TABLE clusters (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, kubeconfig TEXT NOT NULL, settings ${json} NOT NULL,
  watch_seconds INTEGER, next_scan_at BIGINT, last_job_id TEXT, created_at TEXT NOT NULL
);
CREATE TABLE cluster_scans (
  job_id TEXT PRIMARY KEY, cluster_id TEXT NOT NULL, images ${json} NOT NULL, changes ${json} NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX cluster_scans_cluster ON cluster_scans (cluster_id, created_at);
ALTER TABLE findings ADD COLUMN cluster TEXT;
ALTER TABLE findings ADD COLUMN namespace TEXT;
CREATE INDEX findings_cluster ON findings (cluster, namespace);
CREATE INDEX findings_namespace ON findings (namespace);
`;

/** Registry watches (`watch/`): the watch, its tag state, runs (idempotent by job), scans it queued, alerts. */
const watches = (json: string, seq: string): string => `
CREATE TABLE watches (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, config ${json} NOT NULL,
  interval_seconds INTEGER NOT NULL, next_run_at BIGINT NOT NULL, last_job_id TEXT, last_run_at TEXT,
  last_stats ${json}, created_at TEXT NOT NULL
);
CREATE INDEX watches_due ON watches (next_run_at);
CREATE TABLE watch_tags (
  watch_id TEXT NOT NULL REFERENCES watches(id) ON DELETE CASCADE, repository TEXT NOT NULL,
  tag TEXT NOT NULL, digest TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (watch_id, repository, tag)
);
CREATE TABLE watch_runs (
  run_id TEXT PRIMARY KEY, watch_id TEXT NOT NULL, result ${json} NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE watch_scans (
  digest TEXT NOT NULL, scanners TEXT NOT NULL, job_id TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (digest, scanners)
);
CREATE TABLE alerts (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, level TEXT NOT NULL, severity TEXT, subject TEXT NOT NULL,
  message TEXT NOT NULL, details ${json} NOT NULL, watch_id TEXT, job_id TEXT, created_at TEXT NOT NULL,
  seq ${seq}, dispatch_until BIGINT, dispatched_at TEXT
);
CREATE INDEX alerts_seq ON alerts (seq);
CREATE INDEX alerts_dispatch ON alerts (dispatched_at, level);
`;

/** Advisory DB updates and re-matching (server/rematch), notifications (server/notify). */
const rematchAndNotify = (json: string): string => `
CREATE INDEX results_target ON results (target);
CREATE INDEX results_digest ON results (digest);
CREATE TABLE advisory_updates (
  id TEXT PRIMARY KEY, version BIGINT NOT NULL UNIQUE, job_id TEXT NOT NULL, source ${json} NOT NULL,
  summary ${json} NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE rematches (
  id TEXT PRIMARY KEY, update_id TEXT, advisory_version BIGINT, images INTEGER NOT NULL,
  changed INTEGER NOT NULL, affected INTEGER NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE rematch_images (
  rematch_id TEXT NOT NULL, digest TEXT NOT NULL, target TEXT NOT NULL, previous_scan TEXT,
  scan_id TEXT, new_findings ${json} NOT NULL, fixed INTEGER NOT NULL, PRIMARY KEY (rematch_id, digest)
);
CREATE TABLE notification_targets (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, url TEXT NOT NULL, format TEXT NOT NULL, events ${json} NOT NULL,
  origin TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE outbox (
  id TEXT PRIMARY KEY, target_id TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE, event ${json} NOT NULL,
  status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at BIGINT NOT NULL, lease TEXT,
  lease_until BIGINT, error TEXT, created_at TEXT NOT NULL, delivered_at TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_at);
`;

/** the layer cache shared by every worker (image/walker/layer-cache.ts reads and writes it) */
const layerCache = (blob: string): string => `
CREATE TABLE layer_cache (
  key TEXT PRIMARY KEY, diff_id TEXT NOT NULL, size BIGINT NOT NULL, data ${blob} NOT NULL,
  created_at BIGINT NOT NULL, last_used BIGINT NOT NULL
);
CREATE INDEX layer_cache_lru ON layer_cache (last_used);
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tokens, credentials, jobs, results, findings, inventories',
    sqlite: common('TEXT', 'TEXT'),
    postgres: common('JSONB', 'TEXT'),
  },
  {
    version: 2,
    name: 'clusters, cluster_scans; findings.cluster and findings.namespace',
    sqlite: clusters('TEXT'),
    postgres: clusters('JSONB'),
  },
  {
    version: 3,
    name: 'registry watches, watch state and runs, alerts',
    sqlite: watches('TEXT', 'INTEGER NOT NULL'),
    postgres: watches('JSONB', 'BIGSERIAL'),
  },
  {
    version: 4,
    name: 'advisory updates, re-matches, notification targets and outbox; results by target/digest',
    sqlite: rematchAndNotify('TEXT'),
    postgres: rematchAndNotify('JSONB'),
  },
  {
    version: 5,
    name: 'layer cache: analysed layers by diffID and analyzer set',
    sqlite: layerCache('BLOB'),
    postgres: layerCache('BYTEA'),
  },
];
