import { loadCelRules } from '../../cel/index.js';
import type { ScanResult } from '../../core/index.js';
import {
  type ComplianceReport,
  type HelmOptions,
  parseComplianceSpec,
  parsePssLevel,
  parsePssVersion,
  userValues,
} from '../../kube/index.js';
import {
  type Format,
  parseFormat,
  renderCompliance,
  writeConfigTable,
  writeReport,
} from '../../report/index.js';
import { type Suppression, scanConfig } from '../../scan/index.js';
import { type CommonOptions, parseExitCode, progress, useColor, writeOutput } from '../common.js';
import { emitResult, finalize, prepareCommon } from '../emit.js';

export interface ConfigOptions extends CommonOptions {
  pss: string;
  pssVersion: string;
  rules?: string;
  compliance?: string;
  helmValues?: string[];
  helmSet?: string[];
  helmSetString?: string[];
}

/** The Helm values flags; read and checked before any scanning (a bad one is a usage error). */
function helmOptions(opts: ConfigOptions): HelmOptions {
  const helm: HelmOptions = {
    valuesFiles: opts.helmValues ?? [],
    set: opts.helmSet ?? [],
    setString: opts.helmSetString ?? [],
  };
  userValues(helm);
  return helm;
}

/** The table report (grouped by resource) and/or the compliance summary, gated like emitResult. */
function emitConfig(
  result: ScanResult,
  opts: ConfigOptions,
  format: Format,
  compliance: ComplianceReport | undefined,
  suppression: Suppression,
): number {
  const exitCode = parseExitCode(opts.exitCode);
  const { shown, gated } = finalize(result, opts, suppression);
  const color = !opts.output && useColor();
  let text: string;
  if (format === 'table') {
    text = `${compliance ? `${renderCompliance(compliance)}\n` : ''}${writeConfigTable(shown, { color })}`;
  } else if (format === 'json' && compliance) {
    const json = JSON.parse(writeReport(shown, 'json')) as Record<string, unknown>;
    text = `${JSON.stringify({ ...json, compliance }, null, 2)}\n`;
  } else {
    text = writeReport(shown, format, {
      color,
      scanners: ['misconfig'],
      ...(compliance ? { compliance } : {}),
    });
  }
  writeOutput(text, opts);
  return gated ? exitCode : 0;
}

export async function runConfig(paths: string[], opts: ConfigOptions): Promise<number> {
  const level = parsePssLevel(opts.pss);
  const version = parsePssVersion(opts.pssVersion);
  const compliance = opts.compliance ? parseComplianceSpec(opts.compliance) : undefined;
  const format = parseFormat(opts.format);
  const rules = opts.rules ? loadCelRules(opts.rules) : undefined;
  const helm = helmOptions(opts);
  const suppression = prepareCommon(opts);
  const scan = await scanConfig(paths, {
    pss: { level, version },
    helm,
    ...(rules ? { rules } : {}),
    ...(compliance ? { compliance } : {}),
  });
  progress(
    opts,
    `config: ${scan.resources.length} resources, ${scan.result.findings.length} findings, ${scan.result.errors.length} errors`,
  );
  if (format !== 'table' && !compliance) return emitResult(scan.result, opts, suppression, ['misconfig']);
  return emitConfig(scan.result, opts, format, scan.compliance, suppression);
}
