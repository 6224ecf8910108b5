/** JSON schemas of the advisory-update, re-match and notification routes (validation and OpenAPI). */
import { NOTIFY_EVENTS } from '../store/fleet-types.js';

/** No `type`: a POST without a body is `{}` (the route refuses a body that is not an object). */
export const DbUpdate = {
  description: 'optional: without a body, the server source (--db-mirror, --db-ecosystems, --db-import)',
  additionalProperties: false,
  properties: {
    mirror: {
      type: 'string',
      maxLength: 2048,
      pattern: '^https?://',
      description: 'base URL serving <Ecosystem>/all.zip (default: the server --db-mirror, else OSV)',
    },
    ecosystems: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 128 },
      maxItems: 100,
      description: 'OSV ecosystems (default: the server --db-ecosystems, else every one Strata inventories)',
    },
    paths: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 4096 },
      maxItems: 100,
      description: 'OSV exports on the workers, imported as `strata db import` instead of downloading',
    },
  },
} as const;

export const AdvisoryUpdate = {
  type: 'object',
  required: ['id', 'version', 'job', 'source', 'summary', 'createdAt'],
  properties: {
    id: { type: 'string' },
    version: { type: 'integer', description: 'increasing; every worker refreshes its DB to the newest' },
    job: { type: 'string', description: 'the db-update job (also the id of its re-match)' },
    source: DbUpdate,
    summary: { type: 'object', additionalProperties: true },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const AdvisoryUpdateList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: AdvisoryUpdate } },
} as const;

const FindingBrief = {
  type: 'object',
  required: ['id', 'severity'],
  properties: {
    id: { type: 'string' },
    severity: { type: 'string' },
    title: { type: 'string' },
    package: { type: 'string' },
    version: { type: 'string' },
    fixedVersion: { type: 'string' },
  },
} as const;

const RematchImage = {
  type: 'object',
  required: ['digest', 'target', 'newFindings', 'fixed'],
  properties: {
    digest: { type: 'string' },
    target: { type: 'string' },
    previousScan: { type: 'string', description: 'the scan the re-match started from' },
    scan: { type: 'string', description: 'the new result, a scan of kind rematch-image (when it changed)' },
    newFindings: { type: 'array', items: FindingBrief },
    fixed: { type: 'integer', description: 'findings of the previous result no longer reported' },
  },
} as const;

const rematchProps = {
  id: { type: 'string', description: 'the db-update or rematch job' },
  status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
  error: { type: 'string' },
  updateId: { type: 'string' },
  advisoryVersion: { type: 'integer' },
  images: { type: 'integer', description: 'images re-matched' },
  changed: { type: 'integer', description: 'images whose result changed' },
  affected: { type: 'integer', description: 'newly affected images (at least one new finding)' },
  createdAt: { type: 'string', format: 'date-time' },
} as const;

export const Rematch = {
  type: 'object',
  required: ['id', 'status'],
  properties: { ...rematchProps, items: { type: 'array', items: RematchImage } },
} as const;

export const RematchList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: { type: 'object', properties: rematchProps } } },
} as const;

export const RematchQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    affected: { type: 'boolean', description: 'only the newly affected images' },
  },
} as const;

export const LimitQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
} as const;

const events = {
  type: 'array',
  items: { type: 'string', enum: [...NOTIFY_EVENTS] },
  uniqueItems: true,
  minItems: 1,
} as const;

export const CreateNotification = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    name: { type: 'string', maxLength: 256 },
    url: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^https?://' },
    format: { type: 'string', enum: ['json', 'slack'], default: 'json' },
    events: { ...events, description: 'default: every event' },
  },
} as const;

export const Notification = {
  type: 'object',
  required: ['id', 'name', 'url', 'format', 'events', 'origin', 'createdAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    url: { type: 'string' },
    format: { type: 'string', enum: ['json', 'slack'] },
    events,
    origin: { type: 'string', enum: ['api', 'config'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const NotificationList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: Notification } },
} as const;

export const DeliveryList = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'target', 'key', 'status', 'attempts', 'event', 'createdAt'],
        properties: {
          id: { type: 'string' },
          target: { type: 'string' },
          key: { type: 'string', description: 'the Idempotency-Key header of every attempt' },
          status: { type: 'string', enum: ['pending', 'delivering', 'delivered', 'failed'] },
          attempts: { type: 'integer' },
          error: { type: 'string' },
          event: { type: 'object', additionalProperties: true },
          createdAt: { type: 'string', format: 'date-time' },
          deliveredAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;
