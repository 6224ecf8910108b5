import { basename } from 'node:path';
import { type CompiledCelRule, evaluateCelRules } from '../cel/index.js';
import { buildResult, type Finding, type ScanError, type ScanResult } from '../core/index.js';
import { readInputText } from '../core/safe-read.js';
import { isDockerfileName, scanDockerfileText } from '../docker/index.js';
import {
  type ComplianceReport,
  type ComplianceSpecId,
  checkControlPlane,
  checkPodSecurity,
  collectFiles,
  complianceLevel,
  type HelmOptions,
  isManifestFile,
  type KubeResource,
  loadKubeResources,
  type PssOptions,
  pssCompliance,
  scanWorkloads,
} from '../kube/index.js';

export interface ConfigScanOptions {
  readonly pss: PssOptions;
  /** compiled custom rules (`--rules`) */
  readonly rules?: readonly CompiledCelRule[];
  readonly stdin?: NodeJS.ReadableStream;
  /** values for Helm charts among the inputs (`--helm-values`, `--helm-set`) */
  readonly helm?: HelmOptions;
  /** also summarise pass/fail per control of this spec (`--compliance`), at `pss.version` */
  readonly compliance?: ComplianceSpecId;
}

export interface ConfigScan {
  readonly result: ScanResult;
  /** the loaded resources (for compliance and other reports) */
  readonly resources: readonly KubeResource[];
  /** when `compliance` was asked for */
  readonly compliance?: ComplianceReport;
}

const DOCKERFILE_ANALYZER = 'config/dockerfile';

async function scanDockerfiles(
  files: readonly string[],
): Promise<{ findings: Finding[]; errors: ScanError[] }> {
  const findings: Finding[] = [];
  const errors: ScanError[] = [];
  for (const file of files) {
    try {
      for (const item of scanDockerfileText(readInputText(file, { kind: 'dockerfile' }), file))
        findings.push(item);
    } catch (err) {
      errors.push({
        analyzer: DOCKERFILE_ANALYZER,
        path: file,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return { findings, errors };
}

/** PSS evaluated at the spec's own level (whatever `--pss` says), summarised per control. */
function complianceOf(
  spec: ComplianceSpecId,
  version: PssOptions['version'],
  resources: readonly KubeResource[],
): ComplianceReport {
  return pssCompliance(spec, version, checkPodSecurity(resources, { level: complianceLevel(spec), version }));
}

/**
 * `strata config` as a library: walks the inputs once, loads Kubernetes manifests (and `-`),
 * runs Pod Security Standards, the workload rules, the CIS control-plane checks and the custom
 * rules on them and the Dockerfile
 * rules on Dockerfiles. Bad files and documents go to `errors`; the rest is scanned.
 */
export async function scanConfig(inputs: readonly string[], options: ConfigScanOptions): Promise<ConfigScan> {
  const {
    files,
    charts,
    kustomizations,
    errors: skipped,
  } = await collectFiles(inputs, (name) => isManifestFile(name) || isDockerfileName(name));
  const dockerfiles = files.filter((f) => f !== '-' && isDockerfileName(basename(f)));
  const manifests = [...files.filter((f) => !dockerfiles.includes(f)), ...charts, ...kustomizations];
  const loaded =
    manifests.length > 0
      ? await loadKubeResources(manifests, {
          ...(options.stdin ? { stdin: options.stdin } : {}),
          ...(options.helm ? { helm: options.helm } : {}),
        })
      : { resources: [], errors: [] };
  const docker = await scanDockerfiles(dockerfiles);
  const custom = options.rules
    ? evaluateCelRules(options.rules, loaded.resources)
    : { findings: [], errors: [] };
  // CIS checks on control-plane files: static pods, KubeletConfiguration, kubeadm ClusterConfiguration
  const cis = checkControlPlane(loaded.resources);
  const kubernetes = loaded.resources.length > 0 || inputs.includes('-');
  const result = buildResult({
    target: {
      type: kubernetes ? 'kubernetes' : 'filesystem',
      name: inputs.map((i) => (i === '-' ? 'stdin' : i)).join(' '),
    },
    findings: [
      ...scanWorkloads(loaded.resources, { pss: options.pss }),
      ...cis.findings,
      ...custom.findings,
      ...docker.findings,
    ],
    errors: [...skipped, ...loaded.errors, ...docker.errors, ...custom.errors, ...cis.errors],
  });
  const compliance = options.compliance
    ? complianceOf(options.compliance, options.pss.version, loaded.resources)
    : undefined;
  return { result, resources: loaded.resources, ...(compliance ? { compliance } : {}) };
}
