import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  AuditError,
  alertFinding,
  followLog,
  loadRuleFiles,
  type RuleSet,
  readAuditStream,
} from '../audit/index.js';
import { type AuditFinding, buildResult, type ScanResult, UsageError } from '../core/index.js';
import type { ProgressOptions } from './progress.js';

export interface AuditScanOptions extends ProgressOptions {
  /** rules files in order; empty: Strata's built-in rules */
  readonly rules?: readonly string[];
  /** for tests and `-`: the stream to read instead of the file */
  readonly stdin?: AsyncIterable<Buffer | string>;
}

/** Runs every event of the stream through the rules; a bad event throws naming its line. */
export async function detect(
  rules: RuleSet,
  chunks: AsyncIterable<Buffer | string>,
  source: string,
  onFinding: (f: AuditFinding) => void,
): Promise<number> {
  let events = 0;
  for await (const record of readAuditStream(chunks, source)) {
    events++;
    let alerts: ReturnType<RuleSet['evaluate']>;
    try {
      alerts = rules.evaluate(record.event);
    } catch (err) {
      throw new AuditError(
        'INVALID_EVENT',
        `${source}:${record.line}: cannot evaluate the event: ${(err as Error).message}`,
      );
    }
    for (const alert of alerts) onFinding(alertFinding(alert, record));
  }
  return events;
}

/** `strata audit <file|->`: the findings of the rules over the events of one audit log. */
export async function scanAudit(input: string, options: AuditScanOptions = {}): Promise<ScanResult> {
  const rules = await loadRuleFiles(options.rules ?? []);
  options.onProgress?.(
    `audit: ${rules.rules.length} k8s_audit rules${rules.ignored.length ? `, ${rules.ignored.length} rules of other sources ignored` : ''}`,
  );
  const stdin = input === '-';
  if (!stdin) {
    const st = await stat(input).catch(() => undefined);
    if (!st?.isFile()) throw new UsageError('FILE_NOT_FOUND', `${input}: no such audit log file`);
  }
  const chunks = stdin
    ? (options.stdin ?? process.stdin)
    : createReadStream(input, { highWaterMark: 1 << 20 });
  const findings: AuditFinding[] = [];
  const events = await detect(rules, chunks, stdin ? 'stdin' : input, (f) => findings.push(f));
  options.onProgress?.(`audit: ${events} events, ${findings.length} alerts`);
  return buildResult({ target: { type: 'cluster', name: stdin ? 'stdin' : input }, findings });
}

export interface AuditFollowOptions extends ProgressOptions {
  readonly rules?: readonly string[];
  /** aborted (SIGINT/SIGTERM): what is already written is read, then the follow ends */
  readonly signal: AbortSignal;
  readonly pollMs?: number;
}

/**
 * `strata audit FILE --follow`: the log from its start, then each line as it is appended, across
 * rotations (each file that was at the path read once, to its end); every finding to `onFinding` as it
 * is found. Resolves with the number of events once the signal is aborted.
 */
export async function followAudit(
  file: string,
  onFinding: (f: AuditFinding) => void,
  options: AuditFollowOptions,
): Promise<number> {
  const rules = await loadRuleFiles(options.rules ?? []);
  options.onProgress?.(`audit: ${rules.rules.length} k8s_audit rules; following ${file}`);
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) throw new UsageError('FILE_NOT_FOUND', `${file}: no such audit log file`);
  let events = 0;
  for await (const segment of followLog(file, {
    signal: options.signal,
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
  })) {
    if (segment.generation > 0) options.onProgress?.(`audit: ${file} was rotated; reading the new file`);
    events += await detect(rules, segment.chunks, file, onFinding);
  }
  return events;
}
