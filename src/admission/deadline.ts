import { AdmissionError } from './errors.js';

/**
 * Resolves with `work`, or rejects with `TIMEOUT` when `signal` (the review's deadline) fires
 * first. The work itself is told through the same signal where it can be (registry and API
 * clients); what cannot be stopped finishes in the background and is not waited for.
 */
export function withinDeadline<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) return Promise.reject(timeoutError(what));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeoutError(what));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? timeoutError(what) : err);
      },
    );
  });
}

function timeoutError(what: string): AdmissionError {
  return new AdmissionError('TIMEOUT', `${what} did not finish within the policy's timeoutSeconds`);
}
