import type { SecretRule } from '../types.js';
import { END, jwtPart } from './helpers.js';

/**
 * The lookbehind (after the literal, so V8 still scans for `eyJ`) starts a match only where a run of
 * token characters starts: without it, a long run (64 KiB of `eyJ`) was rescanned from each `eyJ`
 * inside it, quadratic time. It also implies `wordStart`.
 */
const JWT = String.raw`(?<secret>eyJ(?<![A-Za-z0-9_-]eyJ)[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})${END}`;

const isJwt = (token: string): boolean => typeof jwtPart(token, 0)?.alg === 'string';

const isKubernetesToken = (token: string): boolean => {
  if (!isJwt(token)) return false;
  const claims = jwtPart(token, 1);
  if (claims === undefined) return false;
  const iss = claims.iss;
  return (
    'kubernetes.io' in claims ||
    iss === 'kubernetes/serviceaccount' ||
    (typeof claims.sub === 'string' && claims.sub.startsWith('system:serviceaccount:'))
  );
};

/** Signed bearer tokens: Kubernetes service-account tokens first, any other JWT after. */
export const tokenRules: readonly SecretRule[] = [
  {
    id: 'kubernetes-service-account-token',
    category: 'Kubernetes',
    title: 'Kubernetes service-account token',
    severity: 'CRITICAL',
    regex: new RegExp(JWT),
    keywords: ['eyj'],
    wordStart: true,
    validate: isKubernetesToken,
  },
  {
    id: 'jwt',
    category: 'JWT',
    title: 'JSON Web Token',
    severity: 'MEDIUM',
    regex: new RegExp(JWT),
    keywords: ['eyj'],
    wordStart: true,
    validate: isJwt,
  },
];
