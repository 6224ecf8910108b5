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

/** an image config with more hits of one rule than this is generated, not leaked: the rest are counted */
export const MAX_CONFIG_HITS_PER_RULE = 1_000;

/**
 * Secrets in the image config: environment variables, labels, the command line, and the history's
 * `created_by` lines, where `--build-arg` values and `ENV` steps are recorded in clear.
 */
export function scanImageConfig(config: ImageConfig, secretConfig: SecretConfig = {}): Finding[] {
  return scanImageConfigReport(config, secretConfig).findings;
}

/**
 * The same, with a cap of MAX_CONFIG_HITS_PER_RULE findings per rule (300 000 secret-looking Env
 * entries made a report larger than the heap); each capped rule is one entry in `errors`.
 */
export function scanImageConfigReport(
  config: ImageConfig,
  secretConfig: SecretConfig = {},
): { findings: Finding[]; errors: string[] } {
  const resolved = resolveSecretConfig(secretConfig);
  const scanner = createScanner(resolved);
  const findings: Finding[] = [];
  const perRule = new Map<string, number>();
  for (const { path, text } of configStrings(config)) {
    if (isAllowed(resolved.pathAllowRules, path, undefined)) continue;
    for (const hit of scanner.scan(path, text).hits) {
      const seen = (perRule.get(hit.rule.id) ?? 0) + 1;
      perRule.set(hit.rule.id, seen);
      if (seen <= MAX_CONFIG_HITS_PER_RULE) findings.push(toFinding(hit, path));
    }
  }
  const errors = [...perRule]
    .filter(([, seen]) => seen > MAX_CONFIG_HITS_PER_RULE)
    .map(
      ([id, seen]) =>
        `${seen} matches of rule ${id} in the image config; only the first ${MAX_CONFIG_HITS_PER_RULE} reported`,
    );
  return { findings, errors };
}
