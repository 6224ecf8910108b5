import { StoredClusters } from './schemas-clusters.js';

/** JSON schemas of the dashboard's read API (api/dashboard.ts); the OpenAPI document is built from them. */
const severityCounts = {
  type: 'object',
  required: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'],
  properties: Object.fromEntries(
    ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'].map((s) => [s, { type: 'integer' }]),
  ),
} as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
const findingArray = { type: 'array', items: anyObject } as const;
const date = { type: 'string', format: 'date-time' } as const;

export const SummaryQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    days: { type: 'integer', minimum: 1, maximum: 366, default: 30, description: 'trend length' },
  },
} as const;

export const ImagesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { q: { type: 'string', maxLength: 1024, description: 'part of the name or digest' } },
} as const;

export const NameQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 4096, description: 'target.name' } },
} as const;

export const DigestParams = {
  type: 'object',
  required: ['digest'],
  properties: { digest: { type: 'string', pattern: '^[a-z0-9]+:[a-f0-9]{32,128}$', maxLength: 160 } },
} as const;

export const SbomQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { format: { type: 'string', enum: ['cyclonedx', 'spdx'], default: 'cyclonedx' } },
} as const;

export const CurrentFindingsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kind: {
      type: 'string',
      enum: [
        'vulnerability',
        'misconfiguration',
        'secret',
        'rbac',
        'network',
        'exposure',
        'signature',
        'audit',
        'attack-path',
      ],
    },
    severity: { type: 'string', enum: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] },
    namespace: { type: 'string', maxLength: 253 },
    advisory: { type: 'string', maxLength: 256, description: 'finding id or alias' },
    target: { type: 'string', maxLength: 4096, description: 'target.name' },
    limit: { type: 'integer', minimum: 1, maximum: 10000, default: 500 },
  },
} as const;

const targetRow = {
  type: 'object',
  required: ['name', 'scan', 'scannedAt', 'scans', 'summary', 'kinds', 'risk'],
  properties: {
    name: { type: 'string' },
    digest: { type: 'string' },
    type: { type: 'string' },
    scan: { type: 'string' },
    scannedAt: date,
    scans: { type: 'integer', description: 'done scans of this target kept' },
    packages: { type: 'integer' },
    summary: severityCounts,
    kinds: { type: 'object', additionalProperties: severityCounts, description: 'counts per finding kind' },
    risk: { type: 'integer', description: 'CRITICAL*1000 + HIGH*100 + MEDIUM*10 + LOW' },
  },
} as const;

export const ImageList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: targetRow } },
} as const;
export const ClusterList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: targetRow }, stored: StoredClusters },
} as const;

export const Summary = {
  type: 'object',
  required: ['targets', 'scans', 'totals', 'doors', 'trend', 'topImages', 'queue'],
  properties: {
    targets: { type: 'integer' },
    scans: { type: 'integer' },
    totals: severityCounts,
    doors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'label', 'kinds', 'counts'],
        properties: {
          id: { type: 'string' },
          label: { type: 'string' },
          kinds: { type: 'array', items: { type: 'string' } },
          counts: severityCounts,
        },
      },
    },
    trend: {
      type: 'array',
      items: {
        type: 'object',
        required: ['date'],
        properties: { date: { type: 'string', format: 'date' }, ...severityCounts.properties },
      },
    },
    topImages: { type: 'array', items: targetRow },
    queue: {
      type: 'object',
      properties: Object.fromEntries(
        ['queued', 'running', 'done', 'failed'].map((s) => [s, { type: 'integer' }]),
      ),
    },
  },
} as const;

export const ImageDetail = {
  type: 'object',
  required: [
    'name',
    'scan',
    'scannedAt',
    'summary',
    'layers',
    'packages',
    'findings',
    'signature',
    'history',
  ],
  properties: {
    name: { type: 'string' },
    digest: { type: 'string' },
    scan: { type: 'string' },
    scannedAt: date,
    os: anyObject,
    summary: severityCounts,
    layers: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          digest: { type: 'string' },
          diffId: { type: 'string' },
          size: { type: 'integer' },
          createdBy: { type: 'string' },
          packages: { type: 'array', items: { type: 'string' }, description: 'packages this layer added' },
          findings: severityCounts,
        },
      },
    },
    packages: { type: 'array', items: anyObject },
    findings: findingArray,
    errors: { type: 'array', items: anyObject },
    signature: {
      type: 'object',
      required: ['status', 'detail'],
      properties: {
        status: { type: 'string', enum: ['verified', 'failed', 'not-checked'] },
        detail: { type: 'string' },
      },
    },
    sbom: { type: 'boolean', description: 'an inventory is stored: /api/v1/inventories/{digest}/sbom' },
    history: {
      type: 'array',
      items: {
        type: 'object',
        properties: { scan: { type: 'string' }, scannedAt: date, summary: severityCounts },
      },
    },
  },
} as const;

export const CurrentFindings = {
  type: 'object',
  required: ['total', 'items'],
  properties: {
    total: { type: 'integer', description: 'matches before the limit' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['scan', 'target', 'targetType', 'finding'],
        properties: {
          scan: { type: 'string' },
          target: { type: 'string' },
          targetType: { type: 'string' },
          namespace: { type: 'string' },
          finding: anyObject,
        },
      },
    },
  },
} as const;

export const ClusterDetail = {
  type: 'object',
  required: [
    'name',
    'scan',
    'scannedAt',
    'summary',
    'pss',
    'rbac',
    'network',
    'networkFindings',
    'attackPaths',
    'attackPathsComputed',
  ],
  properties: {
    name: { type: 'string' },
    type: { type: 'string' },
    scan: { type: 'string' },
    scannedAt: date,
    summary: severityCounts,
    pss: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          namespace: { type: 'string' },
          baseline: { type: 'string', enum: ['PASS', 'FAIL'] },
          restricted: { type: 'string', enum: ['PASS', 'FAIL'] },
          baselineViolations: { type: 'array', items: { type: 'string' } },
          restrictedViolations: { type: 'array', items: { type: 'string' } },
          findings: { type: 'integer' },
        },
      },
    },
    rbac: findingArray,
    network: {
      type: 'object',
      nullable: true,
      additionalProperties: true,
      description:
        'the allowed-connection matrix (`strata netpol matrix --format json`: granularity, nodes, edges from/to/ports) the scan stored in metadata.network; null when it stored none',
    },
    networkFindings: findingArray,
    attackPaths: findingArray,
    attackPathsComputed: {
      type: 'boolean',
      description:
        "the scan computed attack paths (`strata k8s --paths`; the server's cluster scans do): an empty attackPaths then means none found, not not looked for",
    },
  },
} as const;

export const Event = {
  type: 'object',
  required: ['id', 'type', 'time', 'message', 'data'],
  properties: {
    id: { type: 'integer' },
    type: {
      type: 'string',
      enum: [
        'scan.done',
        'scan.failed',
        'findings.new',
        'audit.alert',
        'tag.mutated',
        'tag.moved',
        'watch.alert',
      ],
    },
    time: date,
    message: { type: 'string' },
    severity: { type: 'string', enum: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] },
    data: anyObject,
  },
} as const;
