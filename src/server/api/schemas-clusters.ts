/** JSON schemas of the stored-cluster routes (`/api/v1/clusters`); the kubeconfig is write-only. */
const name = {
  type: 'string',
  minLength: 1,
  maxLength: 253,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:@/-]*$',
} as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

const settings = {
  type: 'object',
  additionalProperties: false,
  properties: {
    context: { type: 'string', maxLength: 253, description: 'kubeconfig context (default current-context)' },
    namespace: {
      type: 'string',
      maxLength: 253,
      description: 'only this namespace for namespaced resources',
    },
    scanImages: { type: 'boolean', description: 'scan the images the workloads run (default true)' },
    scanners: {
      type: 'array',
      items: { type: 'string', enum: ['vuln', 'secret', 'misconfig'] },
      uniqueItems: true,
      description: 'image scanners (default vuln, secret)',
    },
    insecure: { type: 'boolean', description: 'plain HTTP to registries' },
    imageConcurrency: { type: 'integer', minimum: 1, maximum: 16 },
  },
} as const;

export const CreateCluster = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kubeconfig'],
  properties: {
    name: { ...name, description: 'how results and the findings query name this cluster' },
    kubeconfig: {
      type: 'string',
      minLength: 1,
      maxLength: 262144,
      writeOnly: true,
      description:
        'a self-contained kubeconfig (token, basic auth or -data certificates; exec, auth-provider and file paths are refused); never returned',
    },
    ...settings.properties,
    watchSeconds: {
      type: 'integer',
      minimum: 5,
      maximum: 31536000,
      description: 'watch: scan every this many seconds, the first scan at once',
    },
  },
} as const;

export const Cluster = {
  type: 'object',
  required: ['id', 'name', 'settings', 'createdAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    settings,
    watchSeconds: { type: 'integer' },
    nextScanAt: dateTime,
    lastScan: { type: 'string', description: 'job id of the newest watch scan' },
    createdAt: dateTime,
  },
} as const;

export const StoredClusters = { type: 'array', items: Cluster } as const;

const workloadImage = {
  type: 'object',
  properties: {
    resource: { type: 'string' },
    container: { type: 'string' },
    images: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const ClusterScanList = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['scan', 'status', 'createdAt'],
        properties: {
          scan: { type: 'string', description: 'job id: GET /api/v1/scans/{id} has the result' },
          status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
          error: { type: 'string' },
          createdAt: dateTime,
          images: {
            type: 'array',
            description:
              'each distinct image: reference, digest, status (scanned|reused|failed|skipped), workloads',
            items: { type: 'object', additionalProperties: true },
          },
          changes: {
            type: 'object',
            nullable: true,
            description: 'since the previous done scan of this cluster',
            properties: {
              previousScan: { type: 'string', nullable: true },
              added: { type: 'array', items: workloadImage },
              removed: { type: 'array', items: workloadImage },
              changed: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    resource: { type: 'string' },
                    container: { type: 'string' },
                    from: { type: 'array', items: { type: 'string' } },
                    to: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
              newImages: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
  },
} as const;
