import { createHash } from 'node:crypto';
import type { Finding } from '../core/index.js';
import { sanitize } from '../transport/index.js';
import type { Notification, NotifyFormat } from './types.js';

/** Findings listed one per line in a Slack text; the rest are counted. */
export const MAX_TEXT_FINDINGS = 20;
const MAX_LINE = 500;

/**
 * The notification's key: the caller's, or `strata-` and 32 hex digits of the SHA-256 of its
 * content (the same notification always gets the same key, across attempts and restarts).
 */
export function idempotencyKey(n: Notification): string {
  if (n.idempotencyKey) return n.idempotencyKey;
  const { idempotencyKey: _, ...content } = n;
  return `strata-${createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32)}`;
}

/** Slack mrkdwn: `&`, `<` and `>` are the control characters (links, mentions like `<!channel>`). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One line of untrusted text: no control characters, no credentials, cut short, then escaped. */
const safe = (text: string): string => escapeMrkdwn(sanitize(text, MAX_LINE));

function findingLine(f: Finding): string {
  const where = f.location.resource ?? f.location.path;
  return `• *${f.severity}* ${safe(f.id)}: ${safe(f.title)}${where ? ` (${safe(where)})` : ''}`;
}

/** A one-line description of the notification (warnings, the JSON body's `summary`). */
export function summary(n: Notification): string {
  if (n.kind === 'message') return sanitize(n.title, MAX_LINE);
  const count = n.findings.length;
  const first = n.findings[0];
  const head = count === 1 && first ? `${first.severity} ${first.id}` : `${count} findings`;
  return sanitize(n.target ? `${head} on ${n.target}` : head, MAX_LINE);
}

/** The Slack-compatible text: a header line, then one line per finding (at most MAX_TEXT_FINDINGS). */
export function slackText(n: Notification): string {
  if (n.kind === 'message') {
    const details = Object.entries(n.details ?? {}).map(
      ([k, v]) => `• ${safe(k)}: ${safe(typeof v === 'string' ? v : JSON.stringify(v))}`,
    );
    return [`*Strata*: ${safe(n.title)}`, ...details].join('\n');
  }
  const count = n.findings.length;
  const header = `*Strata*: ${count} ${count === 1 ? 'finding' : 'findings'}${n.target ? ` on ${safe(n.target)}` : ''}`;
  const lines = n.findings.slice(0, MAX_TEXT_FINDINGS).map(findingLine);
  if (count > MAX_TEXT_FINDINGS) lines.push(`…and ${count - MAX_TEXT_FINDINGS} more`);
  return [header, ...lines].join('\n');
}

/** The request body for one format (the same bytes on every attempt). */
export function notificationBody(n: Notification, format: NotifyFormat, key: string): Buffer {
  switch (format) {
    case 'slack':
      return Buffer.from(JSON.stringify({ text: slackText(n) }));
    case 'json': {
      const { idempotencyKey: _, ...content } = n;
      return Buffer.from(JSON.stringify({ idempotencyKey: key, summary: summary(n), ...content }));
    }
  }
}
