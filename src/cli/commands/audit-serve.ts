import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { AuditServer } from '../../audit/index.js';
import { UsageError } from '../../core/errors.js';
import { isDebug, runAction } from '../run.js';
import { addForwardOptions, type ForwardFlags } from './audit-forward.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

interface AuditServeFlags extends ForwardFlags {
  tlsCert: string;
  tlsKey: string;
  address: string;
  port: string;
  rules: string[];
  maxBatchMib: string;
  quiet?: boolean;
}

/**
 * Flags `audit serve` shares with `audit`: commander gives a flag written after `serve` to the
 * parent when the parent declares it too (positional options would have to be enabled on the
 * whole program), so the values the user wrote are taken back from there.
 */
const SHARED = ['rules', 'quiet', 'forward', 'forwardFormat', 'forwardTimeout'] as const;

function ownFlags(opts: AuditServeFlags, cmd: Command): AuditServeFlags {
  const parent = cmd.parent;
  if (!parent) return opts;
  const taken: Record<string, unknown> = {};
  for (const key of SHARED)
    if (parent.getOptionValueSource(key) === 'cli') taken[key] = parent.getOptionValue(key);
  return { ...opts, ...taken };
}

function parseNumber(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError('INVALID_ARGUMENT', `${flag}: "${value}" is not an integer ${min}-${max}`);
  return n;
}

/**
 * `strata audit serve`: kube-apiserver's audit webhook backend (`--audit-webhook-config-file`); every
 * alert a JSON line on stdout (the finding object, as `audit FILE -f json` lists them).
 */
export function registerAuditServe(audit: Command): void {
  const serve = audit.command('serve');
  serve
    .description("receive the API server's audit webhook batches over HTTPS; alerts as JSON lines on stdout")
    .requiredOption('--tls-cert <file>', 'server certificate (PEM)')
    .requiredOption('--tls-key <file>', 'server private key (PEM)')
    .option('--address <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8444')
    .option(
      '--rules <file>',
      'Falco rules file (repeatable, loaded in order; default: the built-in rules)',
      collect,
      [],
    )
    .option('--max-batch-mib <n>', 'refuse a batch larger than this with 413', '64')
    .option('-q, --quiet', 'no progress on stderr');
  addForwardOptions(serve).action((flags: AuditServeFlags, cmd: Command) =>
    runAction(async () => {
      const opts = ownFlags(flags, cmd);
      const port = parseNumber('--port', opts.port, 0, 65_535);
      const maxMib = parseNumber('--max-batch-mib', opts.maxBatchMib, 1, 1024);
      for (const [flag, file] of [
        ['--tls-cert', opts.tlsCert],
        ['--tls-key', opts.tlsKey],
      ] as const)
        if (!existsSync(file)) throw new UsageError('FILE_NOT_FOUND', `${flag}: ${file}: no such file`);
      const { AuditServer, loadRuleFiles } = await import('../../audit/index.js');
      const { Forwarder } = await import('./forwarder.js');
      const rules = await loadRuleFiles(opts.rules);
      const log = (line: string) => {
        if (!opts.quiet) process.stderr.write(`strata audit: ${line}\n`);
      };
      let server: AuditServer | undefined;
      const forwarder = Forwarder.open(opts, (l) => log(`warning: ${l}`), {
        onOutcome: (o) => server?.metrics.forwards.inc({ result: o.status }),
      });
      server = new AuditServer({
        rules,
        certFile: opts.tlsCert,
        keyFile: opts.tlsKey,
        address: opts.address,
        port,
        maxBatchBytes: maxMib * 1024 * 1024,
        log,
        onFinding: (f) => {
          process.stdout.write(`${JSON.stringify(f)}\n`);
          forwarder?.send(f, 'webhook');
        },
      });
      const listening = server;
      const addr = await listening.listen();
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      process.stderr.write(
        `strata audit: ${rules.rules.length} k8s_audit rules; listening on https://${host}:${addr.port}${forwarder ? `; forwarding alerts to ${forwarder.display}` : ''}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          void listening
            .close()
            .then(() => forwarder?.finish(false, log))
            .then(() => resolve());
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      return 0;
    }, isDebug()),
  );
}
