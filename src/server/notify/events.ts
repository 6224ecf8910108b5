import { createHash } from 'node:crypto';
import type { Finding, ScanResult } from '../../core/index.js';
import { diffResults } from '../diff.js';
import type { FindingBrief } from '../store/fleet-types.js';

/** New CRITICAL/HIGH findings of an image: from a scan, or from re-matching its stored inventory. */
export interface FindingsNewEvent {
  readonly type: 'findings.new';
  readonly source: 'scan' | 'rematch';
  readonly image: string;
  readonly digest?: string;
  /** the scan holding the findings (GET /api/v1/scans/:id) */
  readonly scan?: string;
  /** the re-match that found them (GET /api/v1/rematches/:id) */
  readonly rematch?: string;
  readonly findings: readonly FindingBrief[];
}

/** A watched tag that moved to a digest without a valid signature under the trust policy. */
export interface TagMutatedEvent {
  readonly type: 'tag.mutated';
  /** `registry/repository:tag` */
  readonly image: string;
  readonly previousDigest: string;
  readonly digest: string;
  readonly reason: string;
  readonly watch?: string;
}

/** An image whose signature or attestation verification failed. */
export interface VerificationFailedEvent {
  readonly type: 'verification.failed';
  readonly image: string;
  readonly digest?: string;
  readonly reason: string;
  readonly watch?: string;
}

export type NotifyEvent = FindingsNewEvent | TagMutatedEvent | VerificationFailedEvent;

export const NOTIFY_SEVERITIES: ReadonlySet<string> = new Set(['CRITICAL', 'HIGH']);

export function brief(f: Finding): FindingBrief {
  const fixed = (f as { fixedVersion?: string }).fixedVersion;
  return {
    id: f.id,
    severity: f.severity,
    ...(f.title ? { title: f.title } : {}),
    ...(f.package?.name ? { package: f.package.name } : {}),
    ...(f.package?.version ? { version: f.package.version } : {}),
    ...(fixed ? { fixedVersion: fixed } : {}),
  };
}

/** Findings of `current` not in `previous` (every finding when the image had no earlier result). */
export function newFindings(current: ScanResult, previous: ScanResult | undefined): Finding[] {
  return previous ? [...diffResults(current, previous).new] : [...current.findings];
}

/**
 * The event's identity: the same fact told twice (a job retried, two servers noticing it) has
 * the same key, so the outbox keeps one delivery per target and the receiver one Idempotency-Key.
 */
export function eventKey(event: NotifyEvent): string {
  const parts: string[] = [event.type];
  switch (event.type) {
    case 'findings.new':
      parts.push(
        event.digest ?? event.image,
        ...event.findings.map((f) => `${f.id}\u0001${f.package ?? ''}\u0001${f.version ?? ''}`).sort(),
      );
      break;
    case 'tag.mutated':
      parts.push(event.image, event.previousDigest, event.digest);
      break;
    case 'verification.failed':
      parts.push(event.image, event.digest ?? '', event.reason);
      break;
  }
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}
