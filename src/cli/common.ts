import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { type Command, Option } from 'commander';
import {
  type DebugSink,
  debugLog,
  isSeverity,
  type ScanResult,
  type Severity,
  UsageError,
} from '../core/index.js';
import { assertWritable, type Format, parseFormat, streamReport } from '../report/index.js';
import { type Finalized, finalizeResult, loadSuppression, type Suppression } from '../scan/index.js';
import { sanitize } from '../transport/index.js';
import { terminalWidth, useColor } from './terminal.js';

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
  return (message) => process.stderr.write(`strata: debug: ${sanitize(message, 4000)}\n`);
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

/**
 * The common flags checked before any work: `--format`, `--exit-code`, `--severity` parsed, and
 * `--ignorefile`/`--vex` read and validated. Every scanning command calls this before it scans, so a
 * bad flag or file fails at once (exit 2) instead of after a long scan.
 */
export function prepareCommon(opts: CommonOptions): Suppression {
  assertWritable(parseFormat(opts.format));
  parseExitCode(opts.exitCode);
  parseSeverities(opts.severity);
  const suppression = loadSuppression({
    ...(opts.ignorefile ? { ignorefile: opts.ignorefile } : {}),
    ...(opts.vex ? { vex: opts.vex } : {}),
  });
  const used = suppression.ignorefile;
  if (used)
    progress(opts, `ignore file ${used.file}: ${used.entries} ${used.entries === 1 ? 'entry' : 'entries'}`);
  const debug = debugLog(debugSink(opts));
  debug.log(
    used
      ? `ignore file: ${used.file} (${used.entries} ${used.entries === 1 ? 'entry' : 'entries'})`
      : 'ignore file: none (no --ignorefile, no .strataignore or .trivyignore in the working directory)',
  );
  if (opts.vex) debug.log(`VEX: ${opts.vex}`);
  return suppression;
}

/** The common flags' last step, through scan/finalizeResult: filter, suppress, gate; warnings to stderr. */
export function finalize(result: ScanResult, opts: CommonOptions, suppression: Suppression): Finalized {
  const finalized = finalizeResult(result, {
    ...(opts.severity ? { severities: parseSeverities(opts.severity) } : {}),
    ...(opts.ignoreUnfixed ? { ignoreUnfixed: true } : {}),
    suppression,
  });
  for (const w of finalized.warnings) process.stderr.write(`strata: warning: ${w}\n`);
  return finalized;
}

/** Writes a rendered report to --output or stdout. */
export function writeOutput(text: string, opts: { output?: string }): void {
  if (opts.output) writeFileSync(opts.output, text);
  else process.stdout.write(text);
}

/**
 * Writes the report where asked and returns the exit code the gate decides; `scanners` (what ran)
 * is shown in the HTML report's summary.
 */
export function emitResult(
  result: ScanResult,
  opts: CommonOptions,
  suppression: Suppression,
  scanners?: readonly string[],
): number {
  const format = parseFormat(opts.format);
  const exitCode = parseExitCode(opts.exitCode);
  const { shown, gated } = finalize(result, opts, suppression);
  const toTerminal = !opts.output;
  const color = toTerminal && useColor();
  const width = terminalWidth(toTerminal ? process.stdout : undefined);
  debugLog(debugSink(opts)).log(
    `report: ${format} to ${opts.output ?? 'stdout'}${format === 'table' ? `, ${width} columns, colour ${color ? 'on' : 'off'}` : ''}; ${shown.findings.length} findings shown, ${shown.suppressed?.length ?? 0} suppressed`,
  );
  const options = {
    color,
    width,
    ...(opts.listAllPkgs ? { listAllPackages: true } : {}),
    ...(scanners ? { scanners } : {}),
  };
  // written in pieces: a cluster's JSON report can be hundreds of MiB
  const fd = opts.output ? openSync(opts.output, 'w') : undefined;
  try {
    streamReport(shown, format, options, (chunk) => {
      if (fd === undefined) process.stdout.write(chunk);
      else writeSync(fd, chunk);
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return gated ? exitCode : 0;
}
