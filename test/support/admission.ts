import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { CLI } from './cli.js';
import { freePort } from './registry.js';

export interface RunningWebhook {
  readonly port: number;
  readonly url: string;
  /** what the server printed on stderr so far */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `strata admission serve` (the built CLI) on 127.0.0.1 and waits for "listening on". */
export async function startWebhook(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<RunningWebhook> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, 'admission', 'serve', '--address', '127.0.0.1', '--port', String(port), ...args],
    { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`webhook did not start: ${stderr}`)), 30_000);
    const check = () => {
      if (stderr.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`webhook exited ${code}: ${stderr}`));
    });
  });
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface HttpsAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** the server certificate's fingerprint (to see a reload) */
  readonly fingerprint: string;
}

/** One HTTPS request trusting `ca` (a fresh connection every time, so a reloaded certificate shows). */
export function httpsRequest(
  url: string,
  ca: Buffer,
  opts: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        ca,
        agent: false,
        headers: { 'content-type': 'application/json', ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
            fingerprint,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * A serving certificate for 127.0.0.1 signed by an existing CA (`tls.crt`/`tls.key` in `dir`),
 * e.g. the test API server's, so its caBundle is that CA.
 */
export function signServingCert(dir: string, caPem: string, caKey: string): { cert: string; key: string } {
  const p = (f: string) => join(dir, f);
  const openssl = (args: readonly string[]) => execFileSync('openssl', [...args], { stdio: 'ignore' });
  openssl([
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    p('tls.key'),
    '-out',
    p('tls.csr'),
    '-subj',
    '/CN=strata-webhook',
  ]);
  writeFileSync(
    p('tls.ext'),
    'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  openssl([
    'x509',
    '-req',
    '-in',
    p('tls.csr'),
    '-CA',
    caPem,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-CAserial',
    p('ca.srl'),
    '-days',
    '1',
    '-extfile',
    p('tls.ext'),
    '-out',
    p('tls.crt'),
  ]);
  return { cert: p('tls.crt'), key: p('tls.key') };
}
