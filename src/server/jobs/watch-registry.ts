import { buildResult, type Finding, StrataError, signatureFinding } from '../../core/index.js';
import { parseWith, z } from '../../core/schema.js';
import { ImageError, RegistryClient } from '../../image/index.js';
import { verifyImage } from '../../scan/index.js';
import { parsePolicy, type VerificationPolicy } from '../../trust/index.js';
import { ServerError } from '../errors.js';
import type { NewAlert, ScanRequest, WatchJobFactory, WatchRow, WatchStats } from '../watch/types.js';
import { diffTags, type TagMove, walkRegistry } from '../watch/walk.js';
import { scanImageJob } from './scan-image.js';
import { contractOf, type JobType } from './types.js';

export const WatchPayload = z.object({
  watch: z.string().min(1),
  /** the run id (the job id): a retried attempt of a run whose state was written returns that run */
  run: z.string().min(1),
  /** the registry, so `/api/v1/scans` names what a run looked at */
  target: z.string().optional(),
});
export type WatchPayload = z.infer<typeof WatchPayload>;

/** The finding id of a tag that moved to a digest without a valid signature under the trust policy. */
export const TAG_MUTATED = 'TAG-MUTATED';

/** Registry trouble a next attempt or run may not have: the run fails instead of recording a finding. */
const TRANSIENT: ReadonlySet<string> = new Set(['UNREACHABLE', 'TOO_MANY_REQUESTS', 'REGISTRY_ERROR']);

/** Parses a watch's stored policy text (the `strata verify --policy` format); keys inline or absolute paths. */
export function watchPolicy(text: string, name: string): VerificationPolicy {
  return parsePolicy(text, `watch ${name}: policy`);
}

interface Verdict {
  readonly signed: boolean;
  readonly reason: string;
  readonly rules?: readonly unknown[];
}

async function verifyMove(
  client: RegistryClient,
  registry: string,
  move: TagMove,
  policy: VerificationPolicy,
): Promise<Verdict> {
  try {
    const v = await verifyImage(
      `${registry}/${move.repository}@${move.to}`,
      { kind: 'policy', policy },
      { client },
    );
    if (v.kind !== 'policy') throw new Error('policy verification gave another kind of verdict');
    const reasons = v.decision.rules
      .filter((r) => !r.satisfied)
      .map((r) => `${r.rule}: ${r.reasons.join('; ')}`);
    return {
      signed: v.passed,
      reason: reasons.join('; ') || 'signed under the policy',
      rules: v.decision.rules,
    };
  } catch (err) {
    if (err instanceof ImageError && TRANSIENT.has(err.code)) throw err;
    if (!(err instanceof StrataError) || !err.userError) throw err;
    // what cannot be verified is not validly signed (a broken signature, a refused manifest)
    return { signed: false, reason: `verification failed: ${err.message}` };
  }
}

function mutationFinding(registry: string, move: TagMove, why: Verdict): Finding {
  const tag = `${registry}/${move.repository}:${move.tag}`;
  return signatureFinding({
    id: TAG_MUTATED,
    severity: 'HIGH',
    title: `tag mutated: ${tag} moved to ${move.to} without a valid signature under the trust policy`,
    description:
      `The tag ${tag} pointed to ${move.from} and now points to ${move.to}, which the watch's trust policy ` +
      `does not accept: ${why.reason}. A tag moved to unsigned content is what a compromised registry or a ` +
      'stolen push credential looks like; deployments that pull the tag get the new content.',
    location: { resource: tag },
    evidence: {
      tag,
      oldDigest: move.from,
      newDigest: move.to,
      digest: move.to,
      reason: why.reason,
      ...(why.rules ? { rules: why.rules } : {}),
    },
  });
}

/** The job the scheduler (or `POST /api/v1/watches/{id}/run`) queues for a watch. */
export const watchJob: WatchJobFactory = (watch: WatchRow, jobId: string) => ({
  type: 'watch-registry',
  payload: { watch: watch.id, run: jobId, target: watch.config.registry },
  maxAttempts: 2,
});

/**
 * One run of a registry watch: walk the registry, compare with the stored tag state, verify moved
 * tags against the trust policy, and write the new state, the alerts and the scans of new digests
 * in one transaction (once per run id). Its result (target type `registry`) holds the `TAG-MUTATED`
 * findings, so they are in `GET /api/v1/findings` with every other finding.
 */
export const watchRegistryJob: JobType<WatchPayload> = {
  name: 'watch-registry',
  // the next interval is the real retry; a second attempt covers a worker lost mid-run
  maxAttempts: 2,
  parse: (payload) => parseWith(WatchPayload, payload, 'watch-registry job'),
  async run(payload, ctx) {
    const watches = ctx.store.watches;
    const scanners = ['watch-registry'];
    const done = await watches.getRun(payload.run);
    if (done) return { result: done.result, scanners };
    const watch = await watches.get(payload.watch);
    if (!watch) throw new ServerError('NOT_FOUND', `watch ${payload.watch} no longer exists`);
    const cfg = watch.config;
    const policy = cfg.policy ? watchPolicy(cfg.policy, watch.name) : undefined;
    const cred = await ctx.store.credentialFor(cfg.registry);
    const client = new RegistryClient({
      insecure: cfg.insecure,
      signal: ctx.signal,
      ...(cred ? { username: cred.username, password: cred.password } : {}),
    });
    const findings: Finding[] = [];
    const alerts: NewAlert[] = [];
    let diff: ReturnType<typeof diffTags>;
    let observed: Awaited<ReturnType<typeof walkRegistry>>;
    try {
      observed = await walkRegistry(client, cfg);
      diff = diffTags(await watches.tagState(watch.id), observed);
      for (const move of diff.moved) {
        const tag = `${cfg.registry}/${move.repository}:${move.tag}`;
        const details = { tag, repository: move.repository, oldDigest: move.from, newDigest: move.to };
        if (!policy) {
          alerts.push({
            kind: 'tag-moved',
            level: 'info',
            subject: tag,
            message: `${tag} moved from ${move.from} to ${move.to} (no trust policy: not verified)`,
            details: { ...details, verified: false },
          });
          continue;
        }
        const verdict = await verifyMove(client, cfg.registry, move, policy);
        if (verdict.signed) {
          alerts.push({
            kind: 'tag-moved',
            level: 'info',
            subject: tag,
            message: `${tag} moved from ${move.from} to ${move.to}, signed under the trust policy`,
            details: { ...details, verified: true },
          });
          continue;
        }
        const finding = mutationFinding(cfg.registry, move, verdict);
        findings.push(finding);
        alerts.push({
          kind: 'tag-mutated',
          level: 'alert',
          severity: finding.severity,
          subject: tag,
          message: finding.title,
          details: { ...details, reason: verdict.reason, finding },
        });
      }
    } finally {
      await client.close();
    }
    const scanSet = [...cfg.scanners].sort().join(',');
    const scans: ScanRequest[] = diff.newDigests.map(({ digest, repository }) => ({
      digest,
      scanners: scanSet,
      type: scanImageJob.name,
      payload: scanImageJob.parse({
        target: `${cfg.registry}/${repository}@${digest}`,
        scanners: [...cfg.scanners],
        ...(cfg.insecure ? { insecure: true } : {}),
      }),
      maxAttempts: scanImageJob.maxAttempts,
    }));
    const result = contractOf(
      buildResult({
        target: { type: 'registry', name: cfg.registry },
        findings,
        errors: observed.errors,
      }),
    );
    const stats: WatchStats = {
      repositories: observed.repositories.length,
      tags: observed.tags.length,
      newDigests: diff.newDigests.length,
      // set by the store: digests already scanned (or queued) with these scanners are not queued again
      scansQueued: 0,
      moved: diff.moved.length,
      mutated: findings.length,
    };
    const committed = await watches.commitRun({
      watchId: watch.id,
      runId: payload.run,
      tags: diff.state,
      alerts,
      scans,
      result,
      stats,
    });
    if (!committed.written) {
      const stored = await watches.getRun(payload.run);
      if (stored) return { result: stored.result, scanners };
    }
    return { result, scanners };
  },
};
