import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { podTemplatePrefix } from '../../kube/index.js';

/** A request's kind as a label: the judged kinds by name, anything else `other` (bounded cardinality). */
export function kindLabel(kind: string): string {
  return podTemplatePrefix(kind) ? kind : 'other';
}

/** Every metric `GET /metrics` serves (prom-client, one registry per server, plus process metrics). */
export class AdmissionMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'strata_admission_requests_total',
    help: 'AdmissionReview requests answered, by endpoint, decision (allow, deny, skip, exempt) and resource kind',
    labelNames: ['decision', 'endpoint', 'kind'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'strata_admission_request_duration_seconds',
    help: 'time from request received to answer sent',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly timeouts = new Counter({
    name: 'strata_admission_check_timeouts_total',
    help: 'checks (namespace, registry, signature, scan) that did not finish within timeoutSeconds',
    registers: [this.registry],
  });
  readonly registryErrors = new Counter({
    name: 'strata_admission_registry_errors_total',
    help: 'registry calls that failed (other than by the review timeout)',
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'strata_admission_bad_requests_total',
    help: 'requests refused before review, by reason (malformed, too-large, not-found, method)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly certReloads = new Counter({
    name: 'strata_admission_certificate_reloads_total',
    help: 'TLS certificate reloads, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'strata_admission_' });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
