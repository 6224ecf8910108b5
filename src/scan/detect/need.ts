import { PipelineError } from '../errors.js';

/** A declared need, present: the runner checks needs before it calls a detector. */
export function need<T>(value: T | undefined, what: string, detector: string): T {
  if (value === undefined) throw new PipelineError('NEED_MISSING', `${detector}: called without ${what}`);
  return value;
}
