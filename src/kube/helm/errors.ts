import { StrataError } from '../../core/errors.js';

export type HelmErrorCode =
  | 'TEMPLATE_PARSE'
  | 'TEMPLATE_EXEC'
  | 'CHART_INVALID'
  | 'VALUES_INVALID'
  | 'SET_INVALID'
  | 'UNSUPPORTED';

/** A chart that cannot be rendered: the message is one line naming the chart file (and line). */
export class HelmError extends StrataError<HelmErrorCode> {}
