import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build` puts the dashboard (Vite, web/ → dist/web), beside the compiled server. */
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

/**
 * No origin but the server's own: scripts and styles from files only (no inline), data: images for
 * chart exports, API calls and the event stream to 'self'. The page can be framed by no one.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function secure(reply: FastifyReply): void {
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
}

/**
 * The web dashboard at `/`: the built files, `index.html` for any other GET a browser asks for as a
 * page (client-side routes such as /images/x), hashed assets cached for a year, everything else a
 * JSON 404 as the API answers.
 */
export async function registerWeb(app: FastifyInstance, root = WEB_ROOT): Promise<void> {
  const built = existsSync(`${root}/index.html`);
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith('/api/')) secure(reply);
    return payload;
  });
  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      index: false,
      wildcard: true,
      cacheControl: false,
      etag: true,
      lastModified: true,
      setHeaders(res, path) {
        res.setHeader(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  const page = (reply: FastifyReply) =>
    built
      ? reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html')
      : reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The web dashboard is not built: run `npm run build` (it writes dist/web).\n');
  app.get('/', async (_req, reply) => page(reply));
  app.setNotFoundHandler(async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const wantsPage =
      req.method === 'GET' &&
      !path.startsWith('/api/') &&
      !/\.[a-z0-9]+$/i.test(path) &&
      (req.headers.accept ?? '').includes('text/html');
    if (wantsPage) return page(reply);
    return reply.code(404).send({ error: 'NOT_FOUND', message: `${req.method} ${path}: no such route` });
  });
}
