import type { Command } from 'commander';
import { NOTIFY_FORMATS } from '../../notify/light.js';

/** `--forward URL [--forward-format json|slack] [--forward-timeout 60s]` of `audit`, `audit --follow`, `audit serve`. */
export interface ForwardFlags {
  forward?: string;
  forwardFormat: string;
  forwardTimeout: string;
}

export function addForwardOptions(cmd: Command): Command {
  return cmd
    .option(
      '--forward <url>',
      'POST each alert to this webhook (retried; credentials in the URL are never printed)',
    )
    .option(
      '--forward-format <format>',
      `webhook body: ${NOTIFY_FORMATS.join(' or ')} (Slack-compatible text)`,
      'json',
    )
    .option(
      '--forward-timeout <duration>',
      'at exit, how long to wait for alerts still being delivered',
      '60s',
    );
}
