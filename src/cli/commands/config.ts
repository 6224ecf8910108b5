import { type Command, Option } from 'commander';
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
  helmValues?: string[];
  helmSet?: string[];
  helmSetString?: string[];
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

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
    .option('--compliance <spec>', 'compliance summary: pss-baseline|pss-restricted')
    .option(
      '--helm-values <file>',
      'values file for Helm charts among the paths (repeatable, later wins)',
      collect,
    )
    .option('--helm-set <key=value>', 'set a Helm chart value, as helm --set (repeatable)', collect)
    .option('--helm-set-string <key=value>', 'set a Helm chart value as a string (repeatable)', collect);
  addCommonOptions(cmd).action((paths: string[], opts: ConfigOptions) =>
    runAction(async () => {
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
    }, isDebug()),
  );
}
