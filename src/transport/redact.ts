/**
 * The one place credentials are scrubbed from what Strata prints: every transport error, every
 * server-provided string that reaches a message, and (as a last guard) every line the CLI writes
 * for an error go through `redact`; server text goes through `sanitize` first, which also strips
 * terminal control sequences so a hostile server cannot repaint the user's terminal.
 */

const MASK = '***';
/** shorter secrets would mask ordinary words */
const MIN_SECRET_LENGTH = 6;

/** the most recent secrets (a long-running server sees a new registry token every minute) */
const MAX_SECRETS = 512;
const secrets = new Set<string>();

/**
 * Remembers a credential this process sends (a password, a token, the base64 of a Basic pair) so
 * that `redact` masks it wherever it shows up again, e.g. echoed back in a server's error body.
 */
export function registerSecret(value: string | undefined): void {
  if (value === undefined || value.length < MIN_SECRET_LENGTH) return;
  secrets.delete(value);
  secrets.add(value);
  if (secrets.size > MAX_SECRETS) secrets.delete(secrets.values().next().value as string);
}

/** Registers the parts of an Authorization / Proxy-Authorization value (scheme excluded). */
export function registerAuthorization(header: string | undefined): void {
  if (!header) return;
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const credential = rest.join(' ');
  if (!credential) {
    registerSecret(scheme);
    return;
  }
  registerSecret(credential);
  if (scheme?.toLowerCase() === 'basic') {
    const pair = Buffer.from(credential, 'base64').toString('utf8');
    registerSecret(pair);
    const colon = pair.indexOf(':');
    if (colon >= 0) registerSecret(pair.slice(colon + 1));
  }
}

const SENSITIVE_PARAMS =
  'access_token|refresh_token|id_token|token|password|passwd|secret|client_secret|api_key|apikey|key|code|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential';

const PATTERNS: readonly [RegExp, string][] = [
  // Authorization: Basic abc / proxy-authorization=Bearer xyz
  [/\b((?:proxy-)?authorization)(["']?\s*[:=]\s*["']?)(?:[A-Za-z]+\s+)?[^\s"',;]+/gi, `$1$2${MASK}`],
  // a bare "Basic <base64>" or "Bearer <token>"
  [/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/-]{6,}=*/g, `$1 ${MASK}`],
  // URL userinfo: scheme://user:pass@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@?#]+@/gi, `$1${MASK}@`],
  // token-ish query parameters
  [new RegExp(`([?&](?:${SENSITIVE_PARAMS})=)[^&\\s#"']*`, 'gi'), `$1${MASK}`],
  // token-ish JSON fields
  [
    /("(?:token|access_token|refresh_token|id_token|password|secret|identitytoken|auth)"\s*:\s*")[^"]*"/gi,
    `$1${MASK}"`,
  ],
];

/** Masks credentials in any text: registered secrets, auth headers, URL userinfo, token params. */
export function redact(text: string): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(s)) out = out.split(s).join(MASK);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A URL fit to print: no userinfo, token-ish query parameters masked. */
export function redactUrl(url: URL | string): string {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    return redact(String(url));
  }
  if (u.username || u.password) {
    u.username = '';
    u.password = '';
  }
  return redact(u.toString());
}

// ESC [ ... final (CSI), ESC ] ... BEL or ST (OSC), ESC P/X/^/_ ... ST (DCS, SOS, PM, APC), ESC + one char
const ESCAPES =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[\]PX^_][\s\S]*?(?:\u0007|\u001b\\|$)|\u001b[\s\S]?|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 (but tab/newline), DEL, C1, and the bidi overrides that reorder what a terminal shows
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Server-provided text made safe for one error line: terminal escapes and control characters
 * removed, whitespace collapsed, credentials redacted, and cut to `max` characters.
 */
export function sanitize(text: string, max = 300): string {
  const clean = redact(text.replace(ESCAPES, '').replace(CONTROLS, '').replace(/\s+/g, ' ').trim());
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}
