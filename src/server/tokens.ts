import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const SCOPES = ['read', 'scan', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** `admin` may do what `scan` may, `scan` what `read` may. */
export function scopeAllows(have: Scope, need: Scope): boolean {
  return SCOPES.indexOf(have) >= SCOPES.indexOf(need);
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The stored form of a token: only its SHA-256 is kept, so a database dump gives no usable token. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface NewToken {
  readonly id: string;
  /** shown once, never stored */
  readonly secret: string;
  readonly hash: string;
}

/** 32 random bytes, base64url, with a `strata_` prefix so secret scanners recognise a leaked one. */
export function generateToken(): NewToken {
  const secret = `strata_${randomBytes(32).toString('base64url')}`;
  return { id: randomUUID(), secret, hash: hashToken(secret) };
}
