import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { loadCelRules } from '../../cel/index.js';
import type { ScanResult } from '../../core/types.js';
import type { KubeResource } from '../../kube/load/index.js';
import {
  checkPodSecurity,
  type PssVersion,
  parsePssLevel,
  parsePssVersion,
  scanConfig,
} from '../../kube/workload/index.js';
import {
  type ComplianceSpecId,
  complianceLevel,
  parseComplianceSpec,
  pssCompliance,
  renderCompliance,
  writeConfigTable,
} from '../../report/compliance/index.js';
import { filterResult } from '../../report/filter.js';
import { type Format, parseFormat, writeReport } from '../../report/index.js';
import { loadSuppressors } from '../../vuln/ignore/index.js';
import {
  addCommonOptions,
  type CommonOptions,
  emitResult,
  parseExitCode,
  parseSeverities,
  progress,
  useColor,
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
  resources: readonly KubeResource[],
  opts: ConfigOptions,
  format: Format,
  compliance: ComplianceSpecId | undefined,
  version: PssVersion,
): number {
  const exitCode = parseExitCode(opts.exitCode);
  const { suppressors, warnings } = loadSuppressors({ ignorefile: opts.ignorefile, vex: opts.vex });
  for (const w of warnings) process.stderr.write(`strata: warning: ${w}\n`);
  const shown = filterResult(result, {
    severities: parseSeverities(opts.severity),
    ignoreUnfixed: opts.ignoreUnfixed,
    suppressors,
  });
  const report = compliance
    ? pssCompliance(
        compliance,
        version,
        checkPodSecurity(resources, { level: complianceLevel(compliance), version }),
      )
    : undefined;
  const color = !opts.output && useColor();
  let text: string;
  if (format === 'table') {
    text = `${report ? `${renderCompliance(report)}\n` : ''}${writeConfigTable(shown, { color })}`;
  } else if (format === 'json' && report) {
    const json = JSON.parse(writeReport(shown, 'json')) as Record<string, unknown>;
    text = `${JSON.stringify({ ...json, compliance: report }, null, 2)}\n`;
  } else {
    text = writeReport(shown, format, { color });
  }
  if (opts.output) writeFileSync(opts.output, text);
  else process.stdout.write(text);
  return shown.findings.length > 0 ? exitCode : 0;
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
      const { result, resources } = await scanConfig(paths, {
        pss: { level, version },
        ...(rules ? { rules } : {}),
      });
      progress(
        opts,
        `config: ${resources.length} resources, ${result.findings.length} findings, ${result.errors.length} errors`,
      );
      if (format !== 'table' && !compliance) return emitResult(result, opts);
      return emitConfig(result, resources, opts, format, compliance, version);
    }, isDebug()),
  );
}
