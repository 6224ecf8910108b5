import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { DebugSink } from '../core/debug.js';
import { UsageError } from '../core/errors.js';
import { isSeverity, type Severity } from '../core/severity.js';
import type { Format } from '../report/index.js';
import { sanitize } from '../transport/light.js';

/*
 * What every command's registration and option checks need, and nothing heavier: a command's
 * modules (scan, report, ...) are imported by its action (docs/ARCHITECTURE.md "Start-up"); the
 * report step shared by the scanning commands is in emit.ts.
 */

/** Flags every scanning command shares (SPEC.md "Common flags"). */
export interface CommonOptions {
  format: string;
  output?: string;
  severity?: string;
  exitCode: string;
  ignoreUnfixed?: boolean;
  ignorefile?: string;
  vex?: string;
  quiet?: boolean;
  debug?: boolean;
  offline?: boolean;
  /** `--list-all-pkgs` (image, fs, sbom): the table lists every target's packages */
  listAllPkgs?: boolean;
}

export function addCommonOptions(cmd: Command, defaultFormat: Format = 'table'): Command {
  return cmd
    .addOption(
      new Option('-f, --format <format>', 'table|json|sarif|cyclonedx|spdx|html').default(defaultFormat),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--severity <list>', 'report only these severities (comma-separated)')
    .option('--exit-code <n>', 'exit with this code when any reported finding remains', '0')
    .option('--ignore-unfixed', 'do not report vulnerabilities without a fix')
    .option(
      '--ignorefile <file>',
      'ignore file (default .strataignore, else .trivyignore; YAML or a plain id list)',
    )
    .option('--vex <file>', 'OpenVEX document')
    .option('--offline', 'never touch the network (a registry, cluster or probe target is refused)')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--debug', 'debug output on stderr');
}

export function parseSeverities(list: string | undefined): Severity[] | undefined {
  if (!list) return undefined;
  const out: Severity[] = [];
  for (const raw of list.split(',')) {
    const s = raw.trim().toUpperCase();
    if (!isSeverity(s))
      throw new UsageError('INVALID_ARGUMENT', `--severity: unknown severity "${raw.trim()}"`);
    out.push(s);
  }
  return out;
}

export function parseExitCode(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 255) {
    throw new UsageError('INVALID_ARGUMENT', `--exit-code: "${value}" is not an integer 0-255`);
  }
  return n;
}

export { useColor } from './terminal.js';

/**
 * Trivy's `--list-all-pkgs`: the table lists each target's packages, not only the vulnerable ones.
 * JSON, CycloneDX and SPDX always list every package.
 */
export function addListAllPackages(cmd: Command): Command {
  return cmd.option('--list-all-pkgs', "list every target's packages in the table, even without findings");
}

/**
 * `--debug`: each line on stderr as `strata: debug: ...`, with credentials (tokens, URL userinfo,
 * Basic/Bearer values) and control characters taken out; undefined (no logging at all) without the flag.
 */
export function debugSink(opts: { debug?: boolean }): DebugSink | undefined {
  if (!opts.debug) return undefined;
  const timed = process.env.STRATA_DEBUG_TIMES === '1';
  return (message) =>
    process.stderr.write(`strata: debug: ${timed ? sinceStart() : ''}${sanitize(message, 4000)}\n`);
}

/**
 * `STRATA_DEBUG_TIMES=1`: each debug line starts with `[+Nms cpu Nms] `, the wall and CPU time since
 * the process started (bench/startup.bench.mjs reads when the first layer's walk begins).
 */
function sinceStart(): string {
  const { user, system } = process.cpuUsage();
  return `[+${Math.round(performance.now())}ms cpu ${Math.round((user + system) / 1000)}ms] `;
}

/** Progress and warnings go to stderr, never mixed into results. */
export function progress(opts: { quiet?: boolean }, message: string): void {
  if (!opts.quiet) process.stderr.write(`${message}\n`);
}

/** A warning line on stderr (unless --quiet). */
export function warn(opts: { quiet?: boolean }, message: string): void {
  progress(opts, `strata: warning: ${message}`);
}

/**
 * SPEC.md `--offline`: never touch the network. A command about to reach a remote service calls
 * this first, so the refusal (exit 2) names the flag and what needed the network.
 */
export function refuseOffline(opts: { offline?: boolean }, what: string): void {
  if (opts.offline) {
    throw new UsageError(
      'USAGE',
      `--offline: ${what} needs the network (drop --offline, or scan a local copy)`,
    );
  }
}

/** Writes a rendered report to --output or stdout. */
export function writeOutput(text: string, opts: { output?: string }): void {
  if (opts.output) writeFileSync(opts.output, text);
  else process.stdout.write(text);
}
