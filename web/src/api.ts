/**
 * The dashboard's only way to the server: same-origin fetches with the API token in the
 * Authorization header. The token lives in sessionStorage (gone when the tab closes) and never in a
 * URL; a 401 forgets it and sends the user back to sign-in.
 */
const KEY = 'strata.token';

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
export type Counts = Record<Severity, number>;

export const token = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (t: string) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(f: () => void): void {
  onUnauthorized = f;
}

async function raw(path: string, init: RequestInit = {}, t = token.get()): Promise<Response> {
  const headers = new Headers(init.headers);
  if (t) headers.set('authorization', `Bearer ${t}`);
  const res = await fetch(path, { ...init, headers, credentials: 'omit', cache: 'no-store' });
  if (res.status === 401) {
    token.clear();
    onUnauthorized();
    throw new ApiError(401, 'your session ended: sign in again');
  }
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { message?: string };
      if (body.message) message = body.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, message);
  }
  return res;
}

export async function get<T>(
  path: string,
  query: Record<string, string | number | undefined> = {},
): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return (await (await raw(s ? `${path}?${s}` : path)).json()) as T;
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await raw(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

/** Checks a token before keeping it: a read of the scan list must succeed with it. */
export async function signIn(t: string): Promise<void> {
  const res = await fetch('/api/v1/scans?limit=1', {
    headers: { authorization: `Bearer ${t}` },
    credentials: 'omit',
    cache: 'no-store',
  });
  if (res.status === 401) throw new ApiError(401, 'that token is unknown or revoked');
  if (!res.ok) throw new ApiError(res.status, `the server answered ${res.status}`);
  token.set(t);
}

/** Downloads a file through fetch (so the token stays in a header) and saves it under its name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await raw(path);
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface ServerEvent {
  id: number;
  type: string;
  time: string;
  message: string;
  severity?: string;
  data: Record<string, unknown>;
}

/**
 * `GET /api/v1/events` read as a stream (not EventSource, which cannot send the Authorization
 * header): each `data:` block is one event; reconnects after `retry` with Last-Event-ID.
 */
export function subscribeEvents(
  onEvent: (e: ServerEvent) => void,
  onState?: (live: boolean) => void,
): () => void {
  const abort = new AbortController();
  let last = 0;
  let retry = 3000;
  const run = async () => {
    while (!abort.signal.aborted) {
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (last > 0) headers['last-event-id'] = String(last);
        const res = await raw('/api/v1/events', { headers, signal: abort.signal });
        if (!res.body) throw new Error('no stream');
        onState?.(true);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut = buffer.indexOf('\n\n');
          while (cut >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
              else if (line.startsWith('retry:')) retry = Number(line.slice(6)) || retry;
            }
            if (data.length > 0) {
              try {
                const e = JSON.parse(data.join('\n')) as ServerEvent;
                last = Math.max(last, e.id);
                onEvent(e);
              } catch {
                // a malformed event is skipped, the stream goes on
              }
            }
            cut = buffer.indexOf('\n\n');
          }
        }
      } catch (err) {
        if (abort.signal.aborted || (err instanceof ApiError && err.status === 401)) return;
      }
      onState?.(false);
      await new Promise((r) => setTimeout(r, retry));
    }
  };
  void run();
  return () => abort.abort();
}
