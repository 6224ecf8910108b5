import { type MisconfigurationFinding, misconfigurationFinding } from '../../core/finding/index.js';
import { type Dockerfile, parseDockerfile } from '../parse/index.js';
import { DOCKERFILE_RULES } from './registry.js';
import type { DockerfileRule } from './types.js';

/** Findings of the Dockerfile rules on a parsed Dockerfile at `path`. */
export function checkDockerfile(
  df: Dockerfile,
  path: string,
  rules: readonly DockerfileRule[] = DOCKERFILE_RULES,
): MisconfigurationFinding[] {
  const findings: MisconfigurationFinding[] = [];
  for (const rule of rules) {
    for (const hit of rule.check(df)) {
      const i = hit.instruction;
      const stage = i ? df.stages[i.stage] : undefined;
      findings.push(
        misconfigurationFinding({
          id: rule.id,
          severity: rule.severity,
          title: rule.title,
          description: `${rule.rationale} (${hit.message})`,
          location: { path, line: hit.line, ...(i && i.endLine !== i.line ? { endLine: i.endLine } : {}) },
          evidence: {
            message: hit.message,
            remediation: rule.remediation,
            ...(i ? { instruction: i.keyword, startLine: i.line } : {}),
            ...(stage ? { stage: stage.name ?? String(stage.index) } : {}),
          },
          references: rule.references,
        }),
      );
    }
  }
  return findings;
}

/** Parses and checks one Dockerfile's text. */
export function scanDockerfileText(text: string, path: string): MisconfigurationFinding[] {
  return checkDockerfile(parseDockerfile(text), path);
}
