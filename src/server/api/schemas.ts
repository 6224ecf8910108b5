/** JSON schemas of the API: fastify validates with them and the OpenAPI document is built from them. */
const id = { type: 'string', description: 'job id (UUID)' } as const;
const scanners = {
  type: 'array',
  items: { type: 'string', enum: ['vuln', 'secret', 'misconfig'] },
  uniqueItems: true,
  description: 'as --scanners (default vuln, secret)',
} as const;

export const ApiError = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;

export const CreateScan = {
  type: 'object',
  additionalProperties: false,
  properties: {
    target: { type: 'string', minLength: 1, maxLength: 4096, description: 'any `strata image` target' },
    path: {
      type: 'string',
      minLength: 1,
      maxLength: 4096,
      description: 'a path on the worker, scanned as `strata fs` (admin)',
    },
    scanners,
    insecure: { type: 'boolean', description: 'plain HTTP to the registry' },
  },
  oneOf: [{ required: ['target'] }, { required: ['path'] }],
} as const;

export const Accepted = { type: 'object', required: ['id'], properties: { id } } as const;

export const Scan = {
  type: 'object',
  required: ['id', 'status', 'kind', 'createdAt', 'attempts'],
  properties: {
    id,
    kind: { type: 'string', description: 'job type (scan-image, scan-fs)' },
    target: { type: 'string' },
    status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
    attempts: { type: 'integer' },
    error: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    result: {
      type: 'object',
      additionalProperties: true,
      description: 'the JSON result of `strata image --format json`',
    },
  },
} as const;

export const ScanList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: Scan } },
} as const;

export const ListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const;

export const IdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64 } },
} as const;

export const DiffQuery = {
  type: 'object',
  required: ['against'],
  additionalProperties: false,
  properties: { against: { type: 'string', maxLength: 64, description: 'the older scan' } },
} as const;

const findingArray = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;
export const Diff = {
  type: 'object',
  required: ['scan', 'against', 'new', 'fixed', 'unchanged'],
  properties: { scan: id, against: id, new: findingArray, fixed: findingArray, unchanged: findingArray },
} as const;

export const FindingsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    image: { type: 'string', description: 'target name or digest' },
    package: { type: 'string' },
    version: { type: 'string' },
    advisory: { type: 'string', description: 'finding id or alias (CVE-..., GHSA-...)' },
    severity: { type: 'string', enum: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] },
    cluster: { type: 'string', maxLength: 253, description: 'a stored cluster, by name (its cluster scans)' },
    namespace: { type: 'string', maxLength: 253, description: 'the namespace of the finding resource' },
    limit: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
  },
} as const;

export const FindingHits = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['scan', 'image', 'finding'],
        properties: {
          scan: id,
          image: { type: 'string' },
          digest: { type: 'string' },
          finding: { type: 'object', additionalProperties: true },
        },
      },
    },
  },
} as const;

export const CreateCredential = {
  type: 'object',
  additionalProperties: false,
  required: ['registry', 'username', 'password'],
  properties: {
    registry: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'host[:port] as in image references',
    },
    username: { type: 'string', minLength: 1, maxLength: 1024 },
    password: { type: 'string', minLength: 1, maxLength: 16384, writeOnly: true },
  },
} as const;

export const Credential = {
  type: 'object',
  required: ['id', 'registry', 'username', 'createdAt'],
  properties: {
    id: { type: 'string' },
    registry: { type: 'string' },
    username: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const CredentialList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: Credential } },
} as const;
