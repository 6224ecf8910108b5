import { shannonEntropy } from '../entropy.js';

/** the token is not glued to a longer word after it (the start is checked with `wordStart`) */
export const END = '(?![A-Za-z0-9_])';

/** `KEY = value`, `"key": "value"`, `key: value`, `key => value` */
export const ASSIGN = String.raw`["']?\s*(?::=|=>|=|:)\s*["']?`;

/** decodes base64 or base64url; undefined when the text is not that */
export function decodeBase64(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

/** the payload of a JWT as an object, when the token is one */
export function jwtPart(token: string, part: 0 | 1): Record<string, unknown> | undefined {
  const segment = token.split('.')[part];
  if (segment === undefined) return undefined;
  const decoded = decodeBase64(segment);
  // a JSON object ends with `}`: junk is turned away before JSON.parse throws (throwing is slow)
  if (decoded === undefined || !decoded.trimEnd().endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(decoded);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** how many of lower case, upper case and digits the value mixes */
export function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
}

/**
 * Environment-style names that hold secrets (`DB_PASSWORD`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`),
 * but not the names that point at one (`*_FILE`, `*_PATH`, `*_URL`) or describe one (`*_LENGTH`).
 */
const SECRET_NAME =
  /(?:^|[_.-])(?:SECRET|PASSWORD|PASSWD|PASSPHRASE|PWD|PASS|TOKEN|API[_.-]?KEY|ACCESS[_.-]?KEY|PRIVATE[_.-]?KEY|AUTH[_.-]?KEY|AUTH|CREDENTIALS?)(?:[_.-]|$)/i;
const NOT_A_SECRET_NAME =
  /(?:^|[_.-])(?:FILE|PATH|DIR|URL|URI|HOST|PORT|USER|USERNAME|NAME|ID|TTL|TIMEOUT|LENGTH|LEN|EXPIRY|EXPIRES|EXPIRATION|TYPE|ENABLED|ENABLE|HEADER|ENDPOINT|METHOD|MODE|PROVIDER|SERVER|REQUIRED|POLICY|COST|ROUNDS|HASH_ALGORITHM)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_A_SECRET_NAME.test(name) && !/^(?:OLD)?PWD$/i.test(name);
}

/** a value assigned to a secret-looking name that looks like a secret, not a reference or a switch */
export function isSecretValue(value: string): boolean {
  if (value.length < 6 || value.length > 512) return false;
  if (/^(?:\/|\.\.?\/|~\/|file:|https?:\/\/|[a-z]+:\/\/)/i.test(value)) return false;
  if (/^\d+$/.test(value)) return false;
  return shannonEntropy(value) >= 2.3;
}
