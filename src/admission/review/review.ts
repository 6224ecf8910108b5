import { errorMessage } from '../../core/index.js';
import { resourceRef } from '../../kube/index.js';
import { withinDeadline } from '../deadline.js';
import { AdmissionError } from '../errors.js';
import { activeExemptions, describeExemption, type Requester, requestExemption } from '../exemptions.js';
import { ADMISSION_IDS } from '../findings.js';
import type { ImageChecks } from '../images/checks.js';
import { judgeImages } from '../images/judge.js';
import { judgeObject } from '../judge.js';
import type { NamespaceSource } from '../namespaces.js';
import { podSecurityOf } from '../pod-security.js';
import type { AdmissionPolicy } from '../policy/types.js';
import { subjectOf } from '../subject.js';
import { respond } from './respond.js';
import type { AdmissionResponse, AdmissionReviewRequest, AdmissionReviewResponse } from './schema.js';

export interface ReviewDeps {
  readonly namespaces: NamespaceSource;
  readonly images: ImageChecks;
  readonly now?: () => Date;
  /** a check ran out of time (metrics) */
  readonly onTimeout?: (what: string) => void;
}

export interface ReviewOptions {
  /** `/mutate`: only digest pinning, answered as a JSONPatch; never denies */
  readonly mutate?: boolean;
  /** overrides the policy's timeoutSeconds (tests) */
  readonly signal?: AbortSignal;
}

export type Decision = 'allow' | 'deny' | 'skip' | 'exempt';

export interface ReviewOutcome {
  readonly review: AdmissionReviewResponse;
  readonly decision: Decision;
  /** the request's kind (`Pod`, `Deployment`) */
  readonly kind: string;
}

function wrap(response: AdmissionResponse): AdmissionReviewResponse {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}

/**
 * Answers one AdmissionReview with the policy: the object's PSS and workload-rule findings (as
 * `strata config`), its images' registry, signatures and vulnerabilities (as `strata verify
 * --policy` and `strata image`), exemptions, the namespace's Pod Security labels; every external
 * call within timeoutSeconds, a check that cannot finish answered per failurePolicy.
 */
export async function reviewAdmission(
  input: AdmissionReviewRequest,
  policy: AdmissionPolicy,
  deps: ReviewDeps,
  options: ReviewOptions = {},
): Promise<ReviewOutcome> {
  const request = input.request;
  const kind = request.kind.kind;
  const allow = (decision: Decision, annotations?: Record<string, string>): ReviewOutcome => ({
    review: wrap({
      uid: request.uid,
      allowed: true,
      ...(annotations ? { auditAnnotations: annotations } : {}),
    }),
    decision,
    kind,
  });
  const subject = subjectOf(request);
  if (subject.type === 'skip') return allow('skip');
  const resource = subject.resource;
  const who: Requester = {
    ...(resource.namespace ? { namespace: resource.namespace } : {}),
    ...(request.userInfo.username !== undefined ? { username: request.userInfo.username } : {}),
    groups: request.userInfo.groups ?? [],
  };
  const now = deps.now?.() ?? new Date();
  const active = { ...policy, exemptions: activeExemptions(policy.exemptions, now) };
  const exempt = requestExemption(active.exemptions, who);
  if (exempt) return allow('exempt', { exemption: describeExemption(exempt) });

  // a timer cleared when the review ends (AbortSignal.timeout would keep every signal alive for timeoutSeconds)
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), policy.timeoutSeconds * 1000);
  try {
    return await judge(
      input,
      policy,
      deps,
      options,
      { subject, who, active },
      options.signal ?? controller.signal,
    );
  } finally {
    clearTimeout(timer);
  }
}

interface Judging {
  readonly subject: Extract<ReturnType<typeof subjectOf>, { type: 'judge' }>;
  readonly who: Requester;
  readonly active: AdmissionPolicy;
}

async function judge(
  input: AdmissionReviewRequest,
  policy: AdmissionPolicy,
  deps: ReviewDeps,
  options: ReviewOptions,
  { subject, who, active }: Judging,
  signal: AbortSignal,
): Promise<ReviewOutcome> {
  const request = input.request;
  const kind = request.kind.kind;
  const resource = subject.resource;
  const failed: string[] = [];
  const notes: string[] = [];
  const annotations: Record<string, string> = {};
  const ref = resourceRef(resource);
  const fail = (what: string, why: string, timeout: boolean) => {
    if (timeout) deps.onTimeout?.(what);
    failed.push(
      `${ADMISSION_IDS.incomplete}: ${what} ${timeout ? `did not finish within ${policy.timeoutSeconds}s` : `failed: ${why}`} (failurePolicy ${policy.failurePolicy})`,
    );
  };

  const images = judgeImages(resource, who, active, deps.images, signal, options.mutate === true);
  let judged: ReturnType<typeof judgeObject> = [];
  if (!options.mutate) {
    let labels: Readonly<Record<string, string>> | undefined;
    if (resource.namespace) {
      try {
        labels = await withinDeadline(
          deps.namespaces.labels(resource.namespace, signal),
          signal,
          `reading namespace ${resource.namespace}`,
        );
      } catch (err) {
        const timeout = signal.aborted || (err instanceof AdmissionError && err.code === 'TIMEOUT');
        fail(`reading namespace ${resource.namespace}`, errorMessage(err), timeout);
      }
    }
    const psa = podSecurityOf(labels, policy.podSecurity);
    if (psa.errors.length > 0) annotations['pod-security-error'] = psa.errors.join('; ');
    judged = judgeObject(resource, subject.pod, psa, policy);
  }
  const img = await images;
  for (const i of img.incomplete) fail(i.what, i.why, i.timeout);
  if (img.exempted.length > 0) annotations['exempted-images'] = [...new Set(img.exempted)].join(', ');
  const { response, denied } = respond({
    uid: request.uid,
    mode: options.mutate ? 'warn' : policy.mode,
    resource: ref,
    judged: [...judged, ...img.judged],
    failed,
    failDenies: policy.failurePolicy === 'fail' && !options.mutate,
    notes,
    annotations,
    ...(img.patch.length > 0 ? { patch: img.patch } : {}),
  });
  return { review: wrap(response), decision: denied ? 'deny' : 'allow', kind };
}
