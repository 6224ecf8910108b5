/**
 * The webhook's Prometheus metrics in the text exposition format (version 0.0.4). Written here
 * because prom-client is not a dependency yet; the names follow its conventions, so switching is
 * a drop-in change.
 */
type Labels = Readonly<Record<string, string>>;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${escapeLabel(labels[k] ?? '')}"`).join(',')}}`;
}

/** Bounds label cardinality: a hostile request must not grow the registry without end. */
const MAX_SERIES = 500;

export class Counter {
  private readonly series = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    if (!this.series.has(key) && this.series.size >= MAX_SERIES) return;
    this.series.set(key, (this.series.get(key) ?? 0) + by);
  }

  value(labels: Labels = {}): number {
    return this.series.get(labelText(labels)) ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    const entries =
      this.series.size === 0 ? [['', 0] as const] : [...this.series].sort(([a], [b]) => a.localeCompare(b));
    for (const [labels, v] of entries) lines.push(`${this.name}${labels} ${v}`);
    return lines.join('\n');
  }
}

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    for (let i = 0; i < this.buckets.length; i++)
      if (value <= (this.buckets[i] ?? 0)) this.counts[i] = (this.counts[i] ?? 0) + 1;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((b, i) => {
      lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i] ?? 0}`);
    });
    lines.push(
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    );
    return lines.join('\n');
  }
}

/** Every metric `GET /metrics` serves. */
export class AdmissionMetrics {
  readonly requests = new Counter(
    'strata_admission_requests_total',
    'AdmissionReview requests answered, by endpoint, decision (allow, deny, skip, exempt, error) and resource kind',
  );
  readonly latency = new Histogram(
    'strata_admission_request_duration_seconds',
    'time from request received to answer sent',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  readonly timeouts = new Counter(
    'strata_admission_check_timeouts_total',
    'checks (namespace, registry, signature, scan) that did not finish within timeoutSeconds',
  );
  readonly registryErrors = new Counter(
    'strata_admission_registry_errors_total',
    'registry calls that failed (other than by the review timeout)',
  );
  readonly rejected = new Counter(
    'strata_admission_bad_requests_total',
    'requests refused before review, by reason (malformed, too-large, not-found, method)',
  );
  readonly certReloads = new Counter(
    'strata_admission_certificate_reloads_total',
    'TLS certificate reloads, by result',
  );

  render(): string {
    return `${[
      this.requests,
      this.latency,
      this.timeouts,
      this.registryErrors,
      this.rejected,
      this.certReloads,
    ]
      .map((m) => m.render())
      .join('\n')}\n`;
  }
}
