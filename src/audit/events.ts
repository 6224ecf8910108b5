import { safeParseWith, z } from '../core/schema.js';
import { AuditError } from './errors.js';
import type { Json } from './fields.js';

const API_VERSIONS = ['audit.k8s.io/v1', 'audit.k8s.io/v1beta1'] as const;

const EventSchema = z.looseObject({
  kind: z.literal('Event'),
  apiVersion: z.enum(API_VERSIONS),
  auditID: z.string(),
  stage: z.string(),
  verb: z.string(),
  requestURI: z.string().optional(),
  user: z.looseObject({ username: z.string().optional() }).optional(),
  objectRef: z.looseObject({ resource: z.string().optional(), namespace: z.string().optional() }).optional(),
});
const EventListSchema = z.looseObject({
  kind: z.literal('EventList'),
  apiVersion: z.enum(API_VERSIONS),
  items: z.array(z.unknown()).nullable(),
});

/** One audit event and where it was read (file or `stdin`, and the line it starts on). */
export interface AuditRecord {
  readonly event: Json;
  readonly source: string;
  readonly line: number;
}

/** The events of one parsed JSON value: an audit `Event` or an `EventList`; anything else throws `where`. */
export function auditEvents(value: unknown, where: string): Json[] {
  const kind = value && typeof value === 'object' ? (value as Json).kind : undefined;
  if (kind === 'EventList') {
    const list = safeParseWith(EventListSchema, value);
    if (!list.ok) throw new AuditError('INVALID_EVENT', `${where}: not an audit EventList: ${list.message}`);
    // kube-apiserver's webhook batches leave kind/apiVersion off the items: they are the list's
    return (list.value.items ?? []).map((item, i) =>
      auditEvent(
        item && typeof item === 'object' && !Array.isArray(item)
          ? { kind: 'Event', apiVersion: list.value.apiVersion, ...item }
          : item,
        `${where}: items[${i}]`,
      ),
    );
  }
  return [auditEvent(value, where)];
}

function auditEvent(value: unknown, where: string): Json {
  const r = safeParseWith(EventSchema, value);
  if (!r.ok) throw new AuditError('INVALID_EVENT', `${where}: not an audit.k8s.io/v1 Event: ${r.message}`);
  return value as Json;
}

/** A line longer than this is refused instead of buffered without bound. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

function parseLine(text: string, source: string, line: number): Json[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new AuditError('INVALID_EVENT', `${source}:${line}: not JSON (${(err as Error).message})`);
  }
  return auditEvents(value, `${source}:${line}`);
}

/**
 * Audit events from a stream: JSON lines (what `--audit-log-path` writes, an `EventList` per line
 * allowed), or one pretty-printed JSON document (an `EventList` or `Event`) when the first line is not
 * complete JSON. The first bad line throws an input error naming it.
 */
export async function* readAuditStream(
  chunks: AsyncIterable<Buffer | string>,
  source: string,
): AsyncGenerator<AuditRecord> {
  let pending = '';
  let lineNo = 0;
  let documentMode: string[] | undefined;
  let documentBytes = 0;
  let seenContent = false;
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (documentMode) {
      documentBytes += text.length;
      if (documentBytes > MAX_LINE_BYTES) throw tooLong(source, 1);
      documentMode.push(text);
      continue;
    }
    pending += text;
    let nl = pending.indexOf('\n');
    while (nl !== -1) {
      const raw = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      lineNo++;
      const trimmed = raw.trim();
      if (trimmed !== '') {
        const first = !seenContent;
        seenContent = true;
        if (first && isPartialDocument(trimmed)) {
          documentMode = [raw, '\n', pending];
          documentBytes = raw.length + pending.length;
          pending = '';
          break;
        }
        for (const event of parseLine(trimmed, source, lineNo)) yield { event, source, line: lineNo };
      }
      nl = pending.indexOf('\n');
    }
    if (pending.length > MAX_LINE_BYTES) throw tooLong(source, lineNo + 1);
  }
  if (documentMode) {
    for (const event of parseLine(documentMode.join(''), source, 1)) yield { event, source, line: 1 };
    return;
  }
  lineNo++;
  if (pending.trim() !== '')
    for (const event of parseLine(pending.trim(), source, lineNo)) yield { event, source, line: lineNo };
}

/** `{` or `[` alone, or an opening line that is not complete JSON: a pretty-printed document follows. */
function isPartialDocument(line: string): boolean {
  if (!line.startsWith('{') && !line.startsWith('[')) return false;
  try {
    JSON.parse(line);
    return false;
  } catch {
    return true;
  }
}

const tooLong = (source: string, line: number) =>
  new AuditError('INVALID_EVENT', `${source}:${line}: line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB`);
