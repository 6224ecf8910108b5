import type { Command } from 'commander';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_TARGETS,
  DEFAULT_TIMEOUT_MS,
  ProbeError,
  PUBLIC_MAX_TARGETS,
} from '../../probe/light.js';
import { addCommonOptions, type CommonOptions, progress, refuseOffline } from '../common.js';
import { isDebug, runAction } from '../run.js';

interface ProbeOptions extends CommonOptions {
  allowPublic?: boolean;
  maxTargets: string;
  ports?: string;
  timeout: string;
  concurrency: string;
}

function positiveInt(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ProbeError('INVALID_OPTION', `${flag}: "${value}" is not an integer 1-${max}`);
  }
  return n;
}

/** `strata probe <host[:port]|CIDR...>`: read-only exposure probes (SPEC.md). */
export function registerProbe(program: Command): void {
  const cmd = program
    .command('probe')
    .description(
      'read-only probes for anonymous Kubernetes API server, kubelet, etcd, Docker daemon, registry and dashboard',
    )
    .argument(
      '<targets...>',
      'host, host:port, [v6]:port, or an IPv4 CIDR: loopback, private (RFC 1918, fc00::/7) or link-local only',
    )
    .option(
      '--allow-public',
      `also probe public addresses (hosts you own and may test; at most ${PUBLIC_MAX_TARGETS})`,
    )
    .option(
      '--max-targets <n>',
      'refuse more hosts than this (hard ceiling 4096)',
      String(DEFAULT_MAX_TARGETS),
    )
    .option('--ports <list>', "ports for targets that name none (default: the services' usual ports)")
    .option('--timeout <ms>', 'per-request timeout in milliseconds', String(DEFAULT_TIMEOUT_MS))
    .option('--concurrency <n>', 'endpoints probed at once', String(DEFAULT_CONCURRENCY));
  addCommonOptions(cmd).action((inputs: string[], opts: ProbeOptions) =>
    runAction(async () => {
      refuseOffline(opts, 'probing endpoints (strata probe)');
      const { emitResult, prepareCommon } = await import('../emit.js');
      const { parsePorts } = await import('../../probe/index.js');
      const { nothingProbed, scanProbe } = await import('../../scan/index.js');
      const suppression = prepareCommon(opts);
      const maxTargets = positiveInt('--max-targets', opts.maxTargets, 4096);
      const ports = opts.ports ? parsePorts(opts.ports) : undefined;
      const result = await scanProbe(inputs, {
        maxTargets,
        allowPublic: opts.allowPublic === true,
        ...(ports ? { ports } : {}),
        timeoutMs: positiveInt('--timeout', opts.timeout, 120_000),
        concurrency: positiveInt('--concurrency', opts.concurrency, 256),
        onProgress: (m) => progress(opts, m),
      });
      const code = emitResult(result, opts, suppression, ['probe']);
      // nothing answered at all: not "no exposure" but no result (the result is still written)
      const nothing = nothingProbed(result);
      if (nothing) throw nothing;
      return code;
    }, isDebug()),
  );
}
