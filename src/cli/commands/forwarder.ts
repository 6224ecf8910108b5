import type { AuditFinding } from '../../core/index.js';
import {
  type DeliveryOutcome,
  NOTIFY_FORMATS,
  Notifier,
  type NotifierStats,
  NotifyError,
  type NotifyFormat,
} from '../../notify/index.js';
import { durationOption } from '../../transport/index.js';
import type { ForwardFlags } from './audit-forward.js';

/** Alerts to the webhook, one delivery each; off the detection path. */
export class Forwarder {
  private constructor(
    private readonly notifier: Notifier,
    private readonly waitMs: number,
  ) {}

  /** undefined without --forward; a bad URL, format or duration is a usage error (exit 2) before any work. */
  static open(
    flags: ForwardFlags,
    warn: (line: string) => void,
    options: { queueSize?: number; concurrency?: number; onOutcome?: (o: DeliveryOutcome) => void } = {},
  ): Forwarder | undefined {
    if (flags.forward === undefined) {
      if (flags.forwardFormat !== 'json')
        throw new NotifyError('INVALID_OPTION', '--forward-format needs --forward');
      return undefined;
    }
    if (!(NOTIFY_FORMATS as readonly string[]).includes(flags.forwardFormat))
      throw new NotifyError(
        'INVALID_FORMAT',
        `--forward-format: "${flags.forwardFormat}" is not one of ${NOTIFY_FORMATS.join(', ')}`,
      );
    const waitMs = durationOption('--forward-timeout', flags.forwardTimeout);
    const notifier = new Notifier({
      url: flags.forward,
      flag: '--forward',
      format: flags.forwardFormat as NotifyFormat,
      onWarning: (line) => warn(`--forward: ${line}`),
      ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
      ...(options.queueSize ? { queueSize: options.queueSize } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
    return new Forwarder(notifier, waitMs);
  }

  get display(): string {
    return this.notifier.target.display;
  }

  send(finding: AuditFinding, target: string): void {
    this.notifier.notify({ kind: 'findings', target, findings: [finding] });
  }

  /**
   * Waits (at most --forward-timeout) for what is pending (what is still not delivered then counts as
   * failed) and reports the count; `strict` (file mode): any alert not delivered is an error (exit 2).
   */
  async finish(strict: boolean, progress: (line: string) => void): Promise<NotifierStats> {
    const stats = await this.notifier.close(this.waitMs);
    const line = forwardSummary(stats, this.display);
    if (strict && stats.delivered < stats.accepted) throw new NotifyError('UNDELIVERED', line);
    progress(line);
    return stats;
  }
}

/** `N of M alerts delivered to URL` (and what failed or was dropped). */
function forwardSummary(stats: NotifierStats, display: string): string {
  const lost = [
    stats.failed ? `${stats.failed} failed` : '',
    stats.dropped ? `${stats.dropped} dropped` : '',
  ].filter(Boolean);
  return `--forward: ${stats.delivered} of ${stats.accepted} alerts delivered to ${display}${lost.length ? ` (${lost.join(', ')})` : ''}`;
}
