import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { createHash, createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/** Starts Debian's docker-registry (distribution 2.8) on 127.0.0.1 for one test file. */
export interface StartRegistryOptions {
  /** htpasswd (bcrypt) Basic auth with this one user */
  readonly auth?: { readonly username: string; readonly password: string };
  /** serve TLS with a fresh self-signed certificate for 127.0.0.1 */
  readonly tls?: boolean;
  /**
   * Bearer-token auth (distribution's `auth.token`): a token service on 127.0.0.1, in this
   * process, signs ES256 JWTs that the registry verifies against a fresh certificate. `auth`
   * then names the one user the token service accepts; anonymous callers get pull only when
   * `anonymousPull` is set.
   */
  readonly token?: { readonly anonymousPull?: boolean };
  /** the loopback address to listen on (default 127.0.0.1; `::1` for IPv6) */
  readonly bind?: '127.0.0.1' | '::1';
}

export interface RunningRegistry {
  /** `http://127.0.0.1:PORT` or `https://...` */
  readonly url: string;
  /** `127.0.0.1:PORT`, the registry part of an image reference */
  readonly host: string;
  /** the storage root (tests corrupt blobs here) */
  readonly storage: string;
  /** the self-signed certificate (PEM file), with `tls` */
  readonly caFile?: string;
  /** what the token service was asked, with `token` (`scope` query values and whether credentials came) */
  readonly tokenRequests?: readonly { readonly scope: string[]; readonly user?: string }[];
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function hostPort(bind: StartRegistryOptions['bind'], port: number): string {
  return bind === '::1' ? `[::1]:${port}` : `127.0.0.1:${port}`;
}

function configYaml(dir: string, port: number, opts: StartRegistryOptions, tokenRealm?: string): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'storage')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: "${hostPort(opts.bind, port)}"`,
    '  secret: strata-test-secret',
  ];
  if (opts.tls) {
    lines.push('  tls:', `    certificate: ${join(dir, 'cert.pem')}`, `    key: ${join(dir, 'key.pem')}`);
  }
  if (tokenRealm) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${tokenRealm}`,
      '    service: strata-test-registry',
      '    issuer: strata-test-issuer',
      `    rootcertbundle: ${join(dir, 'token-cert.pem')}`,
    );
  } else if (opts.auth) {
    lines.push('auth:', '  htpasswd:', '    realm: strata-test', `    path: ${join(dir, 'htpasswd')}`);
  }
  return `${lines.join('\n')}\n`;
}

function probe(url: string, ca: Buffer | undefined): Promise<number> {
  return new Promise((resolve) => {
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.get(`${url}/v2/`, { ...(ca ? { ca } : {}), timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** A docker token service (distribution's token spec): Basic-authenticated GET /token -> signed JWT. */
async function startTokenService(dir: string, opts: StartRegistryOptions) {
  const keyFile = join(dir, 'token-key.pem');
  const certFile = join(dir, 'token-cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=strata-test-token',
    ],
    { stdio: 'ignore' },
  );
  const key = createPrivateKey(readFileSync(keyFile));
  const x5c = new X509Certificate(readFileSync(certFile)).raw.toString('base64');
  const requests: { scope: string[]; user?: string }[] = [];
  const expected = opts.auth
    ? `Basic ${Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64')}`
    : undefined;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scopes = url.searchParams.getAll('scope');
    const authed = expected !== undefined && req.headers.authorization === expected;
    requests.push({ scope: scopes, ...(authed ? { user: opts.auth?.username } : {}) });
    if (req.headers.authorization && !authed) {
      res.writeHead(401).end('{"details":"bad credentials"}');
      return;
    }
    const access = scopes.flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      const granted = (actions ?? '')
        .split(',')
        .filter((a) => authed || (a === 'pull' && opts.token?.anonymousPull));
      return type && name && granted.length > 0 ? [{ type, name, actions: granted }] : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [x5c] }));
    const claims = b64url(
      JSON.stringify({
        iss: 'strata-test-issuer',
        sub: authed ? opts.auth?.username : '',
        aud: 'strata-test-registry',
        exp: now + 300,
        nbf: now - 10,
        iat: now,
        jti: randomUUID(),
        access,
      }),
    );
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: `${header}.${claims}.${b64url(signature)}`, expires_in: 300 }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function startRegistry(opts: StartRegistryOptions = {}): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-registry-'));
  const port = await freePort();
  if (opts.auth) {
    const line = execFileSync('htpasswd', ['-Bbn', opts.auth.username, opts.auth.password], {
      encoding: 'utf8',
    });
    writeFileSync(join(dir, 'htpasswd'), line);
  }
  let ca: Buffer | undefined;
  if (opts.tls) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(join(dir, 'cert.pem'));
  }
  const token = opts.token ? await startTokenService(dir, opts) : undefined;
  const cfg = join(dir, 'config.yml');
  writeFileSync(cfg, configYaml(dir, port, opts, token?.realm));
  const child = spawn('/usr/bin/docker-registry', ['serve', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const url = `${opts.tls ? 'https' : 'http'}://${hostPort(opts.bind, port)}`;
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null) {
      process.kill(child.pid, 'SIGTERM');
      if (!(await waitExit(child, 5000))) process.kill(child.pid, 'SIGKILL');
    }
    await token?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  while (true) {
    const status = await probe(url, ca);
    if (status === 200 || status === 401) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start on ${url}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    host: hostPort(opts.bind, port),
    storage: join(dir, 'storage'),
    ...(opts.tls ? { caFile: join(dir, 'cert.pem') } : {}),
    ...(token ? { tokenRequests: token.requests } : {}),
    stop,
  };
}

/** One layer of a test image: files (path -> content) and the history step that made it. */
export interface TestLayer {
  readonly files: Readonly<Record<string, string>>;
  readonly createdBy: string;
}

export interface TestImageSpec {
  readonly architecture?: string;
  readonly layers: readonly TestLayer[];
  /** a config-only step (history entry with empty_layer) after the layers */
  readonly configStep?: string;
}

/** What umoci wrote, read back from the layout: the truth the sources are checked against. */
export interface BuiltImage {
  readonly layout: string;
  readonly tag: string;
  readonly manifestDigest: string;
  readonly manifestSize: number;
  readonly configDigest: string;
  readonly layerDigests: readonly string[];
  readonly diffIds: readonly string[];
  readonly createdBy: readonly string[];
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

export function blobPath(layout: string, digest: string): string {
  return join(layout, 'blobs', ...digest.split(':'));
}

/** Builds an image in an OCI layout with umoci (created if missing), from files in a temp dir. */
export function buildImage(layout: string, tag: string, spec: TestImageSpec): BuiltImage {
  const umoci = (...args: string[]) => execFileSync('umoci', args, { stdio: 'pipe' });
  if (!existsSync(join(layout, 'oci-layout'))) umoci('init', '--layout', layout);
  umoci('new', '--image', `${layout}:${tag}`);
  const work = mkdtempSync(join(tmpdir(), 'strata-layer-'));
  try {
    // unpack + repack, not `umoci insert`: Debian's umoci 0.4.7 insert writes layers whose tar
    // lacks the last entry's padding and the end-of-archive blocks (GNU tar rejects them)
    spec.layers.forEach((layer, i) => {
      const bundle = join(work, String(i));
      umoci('unpack', '--rootless', '--image', `${layout}:${tag}`, bundle);
      for (const [path, content] of Object.entries(layer.files)) {
        mkdirSync(dirname(join(bundle, 'rootfs', path)), { recursive: true });
        writeFileSync(join(bundle, 'rootfs', path), content);
      }
      umoci('repack', '--image', `${layout}:${tag}`, '--history.created_by', layer.createdBy, bundle);
      rmSync(bundle, { recursive: true, force: true });
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const configArgs = ['--architecture', spec.architecture ?? 'amd64', '--os', 'linux'];
  umoci(
    'config',
    '--image',
    `${layout}:${tag}`,
    ...configArgs,
    '--config.cmd',
    '/bin/true',
    '--history.created_by',
    spec.configStep ?? 'CMD ["/bin/true"]',
  );
  const index = readJson(join(layout, 'index.json')) as {
    manifests: { digest: string; size: number; annotations?: Record<string, string> }[];
  };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!entry) throw new Error(`umoci wrote no ${tag} into ${layout}`);
  const manifest = readJson(blobPath(layout, entry.digest)) as {
    config: { digest: string };
    layers: { digest: string }[];
  };
  const config = readJson(blobPath(layout, manifest.config.digest)) as {
    rootfs: { diff_ids: string[] };
    history: { created_by?: string; empty_layer?: boolean }[];
  };
  return {
    layout,
    tag,
    manifestDigest: entry.digest,
    manifestSize: entry.size,
    configDigest: manifest.config.digest,
    layerDigests: manifest.layers.map((l) => l.digest),
    diffIds: config.rootfs.diff_ids,
    createdBy: config.history.filter((h) => !h.empty_layer).map((h) => h.created_by ?? ''),
  };
}

/** Writes an OCI index of `images` (with their platforms) into the layout under `tag`. */
export function addIndex(
  layout: string,
  tag: string,
  images: readonly { image: BuiltImage; platform: { os: string; architecture: string; variant?: string } }[],
): { digest: string; size: number } {
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: images.map(({ image, platform }) => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: image.manifestDigest,
        size: image.manifestSize,
        platform,
      })),
    }),
  );
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  writeFileSync(blobPath(layout, digest), body);
  const indexPath = join(layout, 'index.json');
  const index = readJson(indexPath) as { manifests: unknown[] };
  index.manifests.push({
    mediaType: 'application/vnd.oci.image.index.v1+json',
    digest,
    size: body.length,
    annotations: { 'org.opencontainers.image.ref.name': tag },
  });
  writeFileSync(indexPath, JSON.stringify(index));
  return { digest, size: body.length };
}

const execFileAsync = promisify(execFile);

/**
 * `skopeo copy` between transports (registries: TLS not verified). Asynchronous, so a token
 * service running in this process can answer skopeo meanwhile.
 */
export async function skopeoCopy(
  src: string,
  dest: string,
  opts: { format?: 'v2s2' | 'oci'; all?: boolean; destCreds?: string } = {},
): Promise<void> {
  const args = ['copy', '--quiet', '--insecure-policy', '--dest-tls-verify=false', '--src-tls-verify=false'];
  if (opts.format) args.push('--format', opts.format);
  if (opts.all) args.push('--all');
  if (opts.destCreds) args.push('--dest-creds', opts.destCreds);
  await execFileAsync('skopeo', [...args, src, dest]);
}
