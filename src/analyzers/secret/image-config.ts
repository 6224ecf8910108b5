import type { Finding } from '../../core/types.js';
import type { ImageConfig } from '../../image/index.js';
import { createScanner, resolveSecretConfig } from './builtin.js';
import { toFinding } from './finding.js';
import { isAllowed } from './scanner.js';
import type { SecretConfig } from './types.js';

/** The strings of an image config that can hold a secret, each with the path a finding names. */
function configStrings(config: ImageConfig): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  (config.config?.Env ?? []).forEach((text, i) => {
    out.push({ path: `config:Env[${i}]`, text });
  });
  for (const [name, value] of Object.entries(config.config?.Labels ?? {}).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    out.push({ path: `config:Labels[${JSON.stringify(name)}]`, text: `${name}=${value}` });
  }
  (config.config?.Entrypoint ?? []).forEach((text, i) => {
    out.push({ path: `config:Entrypoint[${i}]`, text });
  });
  (config.config?.Cmd ?? []).forEach((text, i) => {
    out.push({ path: `config:Cmd[${i}]`, text });
  });
  (config.history ?? []).forEach((step, i) => {
    if (step.created_by !== undefined)
      out.push({ path: `config:history[${i}].created_by`, text: step.created_by });
  });
  return out;
}

/**
 * Secrets in the image config: environment variables, labels, the command line, and the history's
 * `created_by` lines, where `--build-arg` values and `ENV` steps are recorded in clear.
 */
export function scanImageConfig(config: ImageConfig, secretConfig: SecretConfig = {}): Finding[] {
  const resolved = resolveSecretConfig(secretConfig);
  const scanner = createScanner(resolved);
  const findings: Finding[] = [];
  for (const { path, text } of configStrings(config)) {
    if (isAllowed(resolved.pathAllowRules, path, undefined)) continue;
    for (const hit of scanner.scan(path, text).hits) findings.push(toFinding(hit, path));
  }
  return findings;
}
