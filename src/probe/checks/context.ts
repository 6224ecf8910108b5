import type { Finding } from '../../core/types.js';
import type { ProbeRequest, ProbeResponse, ProbeTarget, Scheme } from '../types.js';

/** What a check gets: the endpoint, the scheme it answered on, and a read-only fetch. */
export interface CheckContext {
  readonly target: ProbeTarget;
  readonly scheme: Scheme;
  /** undefined when the request failed at the transport level (closed, timeout, TLS refusal) */
  fetch(req: ProbeRequest): Promise<ProbeResponse | undefined>;
}

/** One service fingerprint and its follow-up reads; returns nothing for closed or authenticated endpoints. */
export interface ExposureCheck {
  readonly name: string;
  run(ctx: CheckContext): Promise<Finding[]>;
}

export const get = (path: string): ProbeRequest => ({ method: 'GET', path });
