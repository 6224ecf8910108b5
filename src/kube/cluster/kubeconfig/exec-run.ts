import { spawn } from 'node:child_process';
import { safeParseWith, z } from '../../../core/schema.js';
import { ClusterError } from '../errors.js';
import type { ExecConfig } from './schema.js';
import type { ClientCertificate } from './types.js';

/** `spec.cluster` of KUBERNETES_EXEC_INFO (sent only with `provideClusterInfo: true`). */
export interface ExecClusterInfo {
  readonly server: string;
  readonly 'tls-server-name'?: string;
  readonly 'insecure-skip-tls-verify'?: boolean;
  /** base64 of the PEM bundle */
  readonly 'certificate-authority-data'?: string;
  readonly 'proxy-url'?: string;
  readonly 'disable-compression'?: boolean;
  /** the cluster's `client.authentication.k8s.io/exec` extension */
  readonly config?: unknown;
}

export interface ExecRunOptions {
  /** the plugin is killed after this long (default 60 s) */
  readonly timeoutMs?: number;
  /** where the plugin's stderr goes (default: Strata's stderr) */
  readonly stderr?: { write(chunk: Buffer | string): unknown };
  /** the environment the plugin inherits (default `process.env`) */
  readonly env?: NodeJS.ProcessEnv;
}

export interface ExecRequest {
  /** `~/.kube/config: users[2] "eks"`, the start of every error */
  readonly label: string;
  readonly exec: ExecConfig;
  readonly cluster?: ExecClusterInfo;
}

export interface ExecCredentialResult {
  readonly token?: string;
  readonly certificate?: ClientCertificate;
  /** ms since the epoch; absent: valid until the server refuses it */
  readonly expiresAt?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** an ExecCredential is a few kB; a plugin that prints more is broken */
const MAX_STDOUT = 1024 * 1024;

const ExecCredentialSchema = z.object({
  apiVersion: z.string(),
  kind: z.literal('ExecCredential'),
  status: z.object({
    token: z.string().nullish(),
    clientCertificateData: z.string().nullish(),
    clientKeyData: z.string().nullish(),
    expirationTimestamp: z.string().nullish(),
  }),
});

function fail(request: ExecRequest, message: string): ClusterError {
  return new ClusterError(
    'EXEC_FAILED',
    `${request.label}: exec plugin "${request.exec.command}": ${message}`,
  );
}

/** Checks the plugin's stdout. No message ever quotes it: it holds the secret. */
export function parseExecOutput(stdout: string, request: ExecRequest): ExecCredentialResult {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    throw fail(request, `printed ${stdout.length} bytes that are not JSON (expected an ExecCredential)`);
  }
  const parsed = safeParseWith(ExecCredentialSchema, value);
  if (!parsed.ok) throw fail(request, `printed an invalid ExecCredential: ${parsed.message}`);
  const { apiVersion, status } = parsed.value;
  if (apiVersion !== request.exec.apiVersion) {
    throw fail(request, `answered with another apiVersion than the configured ${request.exec.apiVersion}`);
  }
  const cert = status.clientCertificateData || undefined;
  const key = status.clientKeyData || undefined;
  if (Boolean(cert) !== Boolean(key)) {
    throw fail(request, 'returned only one of status.clientCertificateData and status.clientKeyData');
  }
  const token = status.token || undefined;
  if (!token && !cert) {
    throw fail(request, 'returned neither status.token nor status.clientCertificateData/clientKeyData');
  }
  let expiresAt: number | undefined;
  if (status.expirationTimestamp) {
    expiresAt = Date.parse(status.expirationTimestamp);
    if (Number.isNaN(expiresAt)) throw fail(request, 'status.expirationTimestamp is not an RFC 3339 time');
  }
  return {
    ...(token ? { token } : {}),
    ...(cert && key ? { certificate: { cert: Buffer.from(cert), key: Buffer.from(key) } } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}

/** KUBERNETES_EXEC_INFO: always set, with the cluster only when the user entry asks for it. */
export function execInfo(request: ExecRequest): string {
  return JSON.stringify({
    apiVersion: request.exec.apiVersion,
    kind: 'ExecCredential',
    spec: { interactive: false, ...(request.cluster ? { cluster: request.cluster } : {}) },
  });
}

function notFound(request: ExecRequest): ClusterError {
  const hint = request.exec.installHint?.trim().replace(/\s*\n\s*/g, ' ');
  return fail(request, `command not found${hint ? `; ${hint}` : ''}`);
}

/**
 * Runs an exec credential plugin the way client-go does: arguments and `env` from the kubeconfig,
 * KUBERNETES_EXEC_INFO set, stdin not attached (Strata is never interactive), stderr passed
 * through to the user, stdout read as the ExecCredential. A plugin that does not finish in time
 * is killed with its process group.
 */
export function runExecPlugin(
  request: ExecRequest,
  options: ExecRunOptions = {},
): Promise<ExecCredentialResult> {
  const { exec } = request;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  for (const v of exec.env ?? []) env[v.name] = v.value;
  env.KUBERNETES_EXEC_INFO = execInfo(request);
  const stderr = options.stderr ?? process.stderr;
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const child = spawn(exec.command, exec.args ?? [], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // its own process group, so a timeout kills the plugin and whatever it started
      detached: true,
    });
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      finish(() => reject(fail(request, `did not finish within ${timeoutMs} ms and was killed`)));
    }, timeoutMs);
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_STDOUT) {
        killGroup();
        finish(() => reject(fail(request, `printed more than ${MAX_STDOUT} bytes`)));
        return;
      }
      chunks.push(c);
    });
    let stderrBytes = 0;
    child.stderr.on('data', (c: Buffer) => {
      stderrBytes += c.length;
      stderr.write(c);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      finish(() =>
        reject(
          err.code === 'ENOENT'
            ? notFound(request)
            : fail(request, `cannot be started (${err.code ?? err.message})`),
        ),
      );
    });
    child.on('close', (code, signal) => {
      finish(() => {
        if (code !== 0) {
          reject(
            fail(
              request,
              `${code === null ? `was killed by ${signal}` : `exited with code ${code}`}${stderrBytes > 0 ? ' (its stderr is above)' : ''}`,
            ),
          );
          return;
        }
        try {
          resolvePromise(parseExecOutput(Buffer.concat(chunks).toString('utf8'), request));
        } catch (err) {
          reject(err);
        }
      });
    });
  });
}
