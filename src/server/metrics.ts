import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from './store/types.js';

/** `/metrics`: queue depth by status (read at scrape time), job durations and outcomes. */
export class Metrics {
  readonly registry = new Registry();
  private readonly durations: Histogram<'type' | 'outcome'>;
  private readonly outcomes: Counter<'type' | 'outcome'>;

  constructor(store: Store) {
    collectDefaultMetrics({ register: this.registry, prefix: 'strata_server_' });
    this.durations = new Histogram({
      name: 'strata_job_duration_seconds',
      help: 'time a job attempt took',
      labelNames: ['type', 'outcome'],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers: [this.registry],
    });
    this.outcomes = new Counter({
      name: 'strata_jobs_total',
      help: 'job attempts by outcome (done, failed)',
      labelNames: ['type', 'outcome'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'strata_queue_jobs',
      help: 'jobs by status',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const depth = await store.queueDepth();
        for (const [status, n] of Object.entries(depth)) this.set({ status }, n);
      },
    });
  }

  jobDone(type: string, outcome: 'done' | 'failed', seconds: number): void {
    this.durations.observe({ type, outcome }, seconds);
    this.outcomes.inc({ type, outcome });
  }
}
