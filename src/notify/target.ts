import { registerSecret } from '../transport/index.js';
import { NotifyError } from './errors.js';

/** A webhook URL split into what is sent and what may be printed. */
export interface WebhookTarget {
  /** the URL requested: no userinfo */
  readonly url: URL;
  /** `Authorization: Basic ...` from the URL's userinfo, when it had one */
  readonly authorization?: string;
  /**
   * The URL fit for a log line: scheme, host and port only. Webhook URLs carry their secret in
   * the path (Slack's `/services/T../B../<token>`) or the query, so neither is ever shown.
   */
  readonly display: string;
}

/** Path segments and query values this long are treated as tokens and registered for redaction. */
const TOKEN_LENGTH = 16;

/** Parses a webhook URL (http or https, absolute); its credentials are registered for redaction. */
export function webhookTarget(raw: string | URL, flag = 'webhook URL'): WebhookTarget {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new NotifyError('INVALID_URL', `${flag}: not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new NotifyError('INVALID_URL', `${flag}: ${url.protocol} is not http: or https:`);
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  registerSecret(password);
  for (const segment of url.pathname.split('/')) if (segment.length >= TOKEN_LENGTH) registerSecret(segment);
  for (const value of url.searchParams.values()) if (value.length >= TOKEN_LENGTH) registerSecret(value);
  const clean = new URL(url);
  clean.username = '';
  clean.password = '';
  const hidden = url.pathname !== '/' || url.search ? '/…' : '/';
  const display = `${url.protocol}//${url.host}${hidden}`;
  if (!user && !password) return { url: clean, display };
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return { url: clean, authorization, display };
}
