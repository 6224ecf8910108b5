import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the mirror answers for one ecosystem: a zip on disk, or an HTTP error status. */
export type MirrorEntry = { readonly zip: string; readonly etag?: string } | { readonly status: number };

export interface OsvMirror {
  readonly url: string;
  /** every request path, decoded (`/Rocky Linux/all.zip`), in order */
  readonly hits: string[];
  close(): Promise<void>;
}

/**
 * A stand-in for the OSV bucket (or a `--db-mirror`) on 127.0.0.1: `<Ecosystem>/all.zip` from
 * `entries` (ETag / If-None-Match honoured); an ecosystem it does not list is a 404, as the bucket
 * answers for an export it does not have.
 */
export async function startOsvMirror(entries: ReadonlyMap<string, MirrorEntry>): Promise<OsvMirror> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(req.url ?? '');
    hits.push(path);
    const ecosystem = /^\/(.+)\/all\.zip$/.exec(path)?.[1];
    const entry = ecosystem === undefined ? undefined : entries.get(ecosystem);
    if (!entry) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if ('status' in entry) {
      res.writeHead(entry.status, { 'content-type': 'text/plain' }).end(`status ${entry.status}`);
      return;
    }
    if (entry.etag && req.headers['if-none-match'] === entry.etag) {
      res.writeHead(304, { etag: entry.etag }).end();
      return;
    }
    const body = readFileSync(entry.zip);
    res.writeHead(200, {
      'content-type': 'application/zip',
      'content-length': body.length,
      ...(entry.etag ? { etag: entry.etag } : {}),
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
