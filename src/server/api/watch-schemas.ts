/** JSON schemas of the watch and alert routes (validation and the OpenAPI document). */

/** A sane floor: a registry is not polled more often than every 10 s; at most once a week. */
export const MIN_INTERVAL_SECONDS = 10;
export const MAX_INTERVAL_SECONDS = 7 * 24 * 3600;

const scanners = {
  type: 'array',
  items: { type: 'string', enum: ['vuln', 'secret', 'misconfig'] },
  uniqueItems: true,
  minItems: 1,
  description: 'scanners of the scans queued for new digests (default vuln, secret)',
} as const;

export const CreateWatch = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'registry', 'interval'],
  properties: {
    kind: { type: 'string', enum: ['registry'] },
    name: { type: 'string', minLength: 1, maxLength: 200, description: 'a label (default: the registry)' },
    registry: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      pattern:
        '^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?$',
      description: 'host[:port] as in image references',
    },
    repositories: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 255 },
      maxItems: 100,
      description: 'globs over repository names (`*` within a path segment, `**` across); default: all',
    },
    interval: {
      type: 'integer',
      minimum: MIN_INTERVAL_SECONDS,
      maximum: MAX_INTERVAL_SECONDS,
      description: 'seconds between runs',
    },
    insecure: {
      type: 'boolean',
      default: false,
      description: 'plain HTTP or unverified TLS to the registry',
    },
    scanners,
    policy: {
      type: 'string',
      minLength: 1,
      maxLength: 262144,
      description:
        'a trust policy, the text of a `strata verify --policy` file (keys inline as PEM, or absolute paths on the workers)',
    },
    pageSize: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 100,
      description: '`n` of the catalog pages',
    },
  },
} as const;

const stats = {
  type: 'object',
  properties: {
    repositories: { type: 'integer' },
    tags: { type: 'integer' },
    newDigests: { type: 'integer' },
    scansQueued: { type: 'integer' },
    moved: { type: 'integer' },
    mutated: { type: 'integer' },
  },
} as const;

export const Watch = {
  type: 'object',
  required: [
    'id',
    'name',
    'kind',
    'registry',
    'interval',
    'insecure',
    'scanners',
    'pageSize',
    'nextRunAt',
    'createdAt',
  ],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string', enum: ['registry'] },
    registry: { type: 'string' },
    repositories: { type: 'array', items: { type: 'string' } },
    interval: { type: 'integer' },
    insecure: { type: 'boolean' },
    scanners: { type: 'array', items: { type: 'string' } },
    pageSize: { type: 'integer' },
    policy: { type: 'string' },
    nextRunAt: { type: 'string', format: 'date-time' },
    lastRunAt: { type: 'string', format: 'date-time', description: 'when the last run wrote its state' },
    lastStats: stats,
    lastJob: {
      type: 'object',
      required: ['id', 'status'],
      properties: { id: { type: 'string' }, status: { type: 'string' }, error: { type: 'string' } },
      description: 'the last run queued (a `watch-registry` job, also in /api/v1/scans)',
    },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const WatchList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: Watch } },
} as const;

export const Alert = {
  type: 'object',
  required: ['id', 'seq', 'kind', 'level', 'subject', 'message', 'details', 'createdAt'],
  properties: {
    id: { type: 'string' },
    seq: { type: 'integer', description: 'increasing; `?after=SEQ` lists newer alerts only' },
    kind: { type: 'string', description: '`tag-mutated` (a TAG-MUTATED finding), `tag-moved` (info)' },
    level: { type: 'string', enum: ['alert', 'info'] },
    severity: { type: 'string' },
    subject: { type: 'string', description: 'what it is about (`host/repo:tag`)' },
    message: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
    watch: { type: 'string' },
    job: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const AlertList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: Alert } },
} as const;

export const AlertsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    after: { type: 'integer', minimum: 0, description: 'only alerts with a larger seq' },
    kind: { type: 'string', maxLength: 64 },
    level: { type: 'string', enum: ['alert', 'info'] },
    watch: { type: 'string', maxLength: 64 },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const;
