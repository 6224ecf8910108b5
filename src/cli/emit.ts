import { closeSync, openSync, writeSync } from 'node:fs';
import { debugLog, type ScanResult } from '../core/index.js';
import { assertWritable, parseFormat, streamReport } from '../report/index.js';
import { type Finalized, finalizeResult, loadSuppression, type Suppression } from '../scan/image-entry.js';
import { type CommonOptions, debugSink, parseExitCode, parseSeverities, progress } from './common.js';
import { terminalWidth, useColor } from './terminal.js';

/*
 * The report step every scanning command shares (ignore files, filters, the gate, the writer):
 * imported by a command's action only, so registering the commands loads no report or scan code.
 */

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
