import { type AttackPathFinding, attackPathFinding, type Severity } from '../core/index.js';
import type { AttackPath } from './graph.js';

const severityOf = (score: number): Severity =>
  score >= 9 ? 'CRITICAL' : score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';

/** One `attack-path` finding per path, ids `STRATA-PATH-NNNN` in rank order (1 = highest score). */
export function pathFindings(paths: readonly AttackPath[]): AttackPathFinding[] {
  const width = Math.max(4, String(paths.length).length);
  return paths.map((p, i) => {
    const rank = i + 1;
    const via = p.hops.filter((h) => h.kind === 'service' || h.kind === 'workload').map((h) => h.ref);
    const hops = p.hops.map((h) => ({
      kind: h.kind,
      ref: h.ref,
      why: h.why,
      ...(h.fix ? { fix: h.fix } : {}),
    }));
    const loc = p.entry.resource;
    return attackPathFinding({
      id: `STRATA-PATH-${String(rank).padStart(width, '0')}`,
      severity: severityOf(p.score),
      title: `${['internet', ...via].join(' -> ')} -> ${p.goal} (score ${p.score.toFixed(1)}; fix: ${p.fix.action})`,
      description: `An attacker from the internet reaches ${p.goalText} in ${p.hops.length} hops. Cheapest fix: ${p.fix.action}.`,
      location: { path: loc.file, line: loc.line, resource: p.entry.ref },
      evidence: {
        hops,
        goal: p.goal,
        score: p.score,
        rank,
        fix: { hop: p.fix.hop, action: p.fix.action },
      },
    });
  });
}
