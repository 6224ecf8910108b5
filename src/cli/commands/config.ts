import { type Command, Option } from 'commander';
import { loadCelRules } from '../../cel/index.js';
import type { ScanResult } from '../../core/index.js';
import {
  type ComplianceReport,
  parseComplianceSpec,
  parsePssLevel,
  parsePssVersion,
} from '../../kube/index.js';
import {
  type Format,
  parseFormat,
  renderCompliance,
  writeConfigTable,
  writeReport,
} from '../../report/index.js';
import { type Suppression, scanConfig } from '../../scan/index.js';
import {
  addCommonOptions,
  type CommonOptions,
  emitResult,
  finalize,
  parseExitCode,
  prepareCommon,
  progress,
  useColor,
  writeOutput,
} from '../common.js';
import { isDebug, runAction } from '../run.js';

interface ConfigOptions extends CommonOptions {
  pss: string;
  pssVersion: string;
  rules?: string;
  compliance?: string;
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
    text = writeReport(shown, format, { color });
  }
  writeOutput(text, opts);
  return gated ? exitCode : 0;
}

export function registerConfig(program: Command): void {
  const cmd = program
    .command('config')
    .description(
      'misconfigurations in Kubernetes manifests and Dockerfiles (files, directories, - for stdin)',
    )
    .argument('<paths...>', 'manifest files, Dockerfiles or directories (- for stdin)')
    .addOption(
      new Option('--pss <level>', 'Pod Security Standards level: baseline|restricted').default('restricted'),
    )
    .addOption(new Option('--pss-version <version>', 'policy version: latest or v1.x').default('latest'))
    .option('--rules <file>', 'custom rules in CEL (YAML rules file)')
    .option('--compliance <spec>', 'compliance summary: pss-baseline|pss-restricted');
  addCommonOptions(cmd).action((paths: string[], opts: ConfigOptions) =>
    runAction(async () => {
      const level = parsePssLevel(opts.pss);
      const version = parsePssVersion(opts.pssVersion);
      const compliance = opts.compliance ? parseComplianceSpec(opts.compliance) : undefined;
      const format = parseFormat(opts.format);
      const rules = opts.rules ? loadCelRules(opts.rules) : undefined;
      const suppression = prepareCommon(opts);
      const scan = await scanConfig(paths, {
        pss: { level, version },
        ...(rules ? { rules } : {}),
        ...(compliance ? { compliance } : {}),
      });
      progress(
        opts,
        `config: ${scan.resources.length} resources, ${scan.result.findings.length} findings, ${scan.result.errors.length} errors`,
      );
      if (format !== 'table' && !compliance) return emitResult(scan.result, opts, suppression);
      return emitConfig(scan.result, opts, format, scan.compliance, suppression);
    }, isDebug()),
  );
}
