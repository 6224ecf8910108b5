import { StrataError } from '../core/index.js';

export type ServerErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_REQUEST'
  | 'RATE_LIMITED'
  | 'DATABASE'
  | 'MIGRATION'
  | 'JOB_TYPE';

const STATUS: Record<ServerErrorCode, number> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  BAD_REQUEST: 400,
  RATE_LIMITED: 429,
  DATABASE: 503,
  MIGRATION: 500,
  JOB_TYPE: 400,
};

/** Errors of fleet mode; the API answers them with `STATUS[code]` and `{ "error": code, "message" }`. */
export class ServerError extends StrataError<ServerErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}
