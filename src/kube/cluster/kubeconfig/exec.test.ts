import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterError } from '../errors.js';
import type { ExecSourceOptions } from './exec.js';
import { loadKubeconfig } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'strata-exec-plugin-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const V1 = 'client.authentication.k8s.io/v1';
const CA = '-----BEGIN CERTIFICATE-----\nFAKE CA\n-----END CERTIFICATE-----\n';

let n = 0;
interface Plugin {
  readonly kubeconfig: string;
  readonly state: string;
  /** the value of KUBERNETES_EXEC_INFO in run `i` (1-based) */
  info(i: number): { apiVersion: string; kind: string; spec: Record<string, unknown> };
  runs(): number;
}

/**
 * Writes a real exec plugin (a shell script) beside a kubeconfig that runs it as `./plugin.sh`
 * (a relative command resolves against the kubeconfig's directory). The script counts its runs
 * in STATE, records its KUBERNETES_EXEC_INFO and arguments, then runs `body`.
 */
function plugin(body: string, exec: Record<string, unknown> = {}): Plugin {
  const dir = join(root, `p${n++}`);
  const state = join(dir, 'state');
  mkdirSync(state, { recursive: true });
  const script = join(dir, 'plugin.sh');
  writeFileSync(
    script,
    `#!/bin/sh
n=$(( $(cat "$STATE/count" 2>/dev/null || echo 0) + 1 ))
echo $n > "$STATE/count"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$STATE/info-$n.json"
echo "$@" > "$STATE/args"
${body}
`,
  );
  chmodSync(script, 0o755);
  const kubeconfig = join(dir, 'config');
  const execEntry = {
    apiVersion: V1,
    command: './plugin.sh',
    args: ['token', '--cluster-name', 'shop'],
    env: [
      { name: 'STATE', value: state },
      { name: 'EXPIRES', value: '2030-01-01T00:00:00Z' },
    ],
    interactiveMode: 'Never',
    ...exec,
  };
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'eks',
      clusters: [
        {
          name: 'eks-cluster',
          cluster: {
            server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
            'certificate-authority-data': Buffer.from(CA).toString('base64'),
            'tls-server-name': 'api.internal',
            extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { region: 'eu-west-1' } }],
          },
        },
      ],
      contexts: [{ name: 'eks', context: { cluster: 'eks-cluster', user: 'eks-user' } }],
      users: [{ name: 'eks-user', user: { exec: execEntry } }],
    }),
  );
  return {
    kubeconfig,
    state,
    info: (i) => JSON.parse(readFileSync(join(state, `info-${i}.json`), 'utf8')),
    runs: () => (existsSync(join(state, 'count')) ? Number(readFileSync(join(state, 'count'), 'utf8')) : 0),
  };
}

const credential = (status: string, apiVersion = V1) =>
  `cat <<EOF\n{"apiVersion":"${apiVersion}","kind":"ExecCredential","status":${status}}\nEOF`;
const TOKEN = credential('{"token":"tok-$n","expirationTimestamp":"$EXPIRES"}');

function stderrSink(): { write(c: Buffer | string): boolean; text(): string } {
  const chunks: string[] = [];
  return { write: (c) => chunks.push(String(c)) > 0, text: () => chunks.join('') };
}

function credentials(p: Plugin, options: ExecSourceOptions = {}) {
  return loadKubeconfig({ kubeconfig: p.kubeconfig, exec: { stderr: stderrSink(), ...options } }).credentials;
}

/** Gone, or a zombie waiting for a parent that no longer cares (it runs nothing). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function rejection(promise: Promise<unknown>): Promise<ClusterError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ClusterError) return err;
    throw err;
  }
  throw new Error('expected a ClusterError');
}

describe('exec credential plugins', () => {
  describe('when the plugin returns a token with an expiry', () => {
    it('runs it once with the args and env of the kubeconfig, and reuses the token until it expires', async () => {
      const p = plugin(TOKEN);
      let now = Date.parse('2029-12-31T23:00:00Z');
      const c = credentials(p, { now: () => now });
      expect(c.kinds).toEqual(['exec']);
      expect(c.description).toBe(`exec plugin "${join(p.kubeconfig, '..', 'plugin.sh')}" of user "eks-user"`);
      expect(p.runs()).toBe(0); // nothing runs before a request needs it
      expect(await c.token()).toBe('tok-1');
      expect(await c.token()).toBe('tok-1');
      expect(p.runs()).toBe(1);
      expect(readFileSync(join(p.state, 'args'), 'utf8').trim()).toBe('token --cluster-name shop');
      now = Date.parse('2030-01-01T00:00:00Z');
      expect(await c.token()).toBe('tok-2');
      expect(p.runs()).toBe(2);
    });

    it('shares one run between concurrent requests', async () => {
      const p = plugin(`sleep 0.2\n${TOKEN}`);
      const c = credentials(p);
      const tokens = await Promise.all([c.token(), c.token(), c.token(), c.clientCertificate()]);
      expect(tokens).toEqual(['tok-1', 'tok-1', 'tok-1', undefined]);
      expect(p.runs()).toBe(1);
    });

    it('runs it again once when the API server answers 401, not forever', async () => {
      const p = plugin(TOKEN);
      const c = credentials(p);
      expect(await c.token()).toBe('tok-1');
      expect(await Promise.all([c.rejected('tok-1'), c.rejected('tok-1')])).toEqual([true, true]);
      expect(await c.token()).toBe('tok-2');
      expect(p.runs()).toBe(2);
      expect(await c.rejected('tok-2')).toBe(false);
      expect(p.runs()).toBe(2);
    });

    it('sets KUBERNETES_EXEC_INFO without the cluster, interactive false', async () => {
      const p = plugin(TOKEN);
      await credentials(p).token();
      expect(p.info(1)).toEqual({ apiVersion: V1, kind: 'ExecCredential', spec: { interactive: false } });
    });

    it('passes the cluster in KUBERNETES_EXEC_INFO with provideClusterInfo', async () => {
      const p = plugin(TOKEN, { provideClusterInfo: true });
      await credentials(p).token();
      expect(p.info(1).spec).toEqual({
        interactive: false,
        cluster: {
          server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
          'tls-server-name': 'api.internal',
          'certificate-authority-data': Buffer.from(CA).toString('base64'),
          config: { region: 'eu-west-1' },
        },
      });
    });

    it('speaks v1beta1 when configured, where interactiveMode may be left out', async () => {
      const beta = 'client.authentication.k8s.io/v1beta1';
      const p = plugin(credential('{"token":"beta-token"}', beta), {
        apiVersion: beta,
        interactiveMode: undefined,
      });
      expect(await credentials(p).token()).toBe('beta-token');
      expect(p.info(1).apiVersion).toBe(beta);
    });

    it('never attaches stdin (a plugin that reads it gets end-of-file, not a hang)', async () => {
      const p = plugin(`cat > /dev/null\n${TOKEN}`);
      expect(await credentials(p, { timeoutMs: 5000 }).token()).toBe('tok-1');
    });
  });

  it('uses a client certificate the plugin returns', async () => {
    const p = plugin(credential('{"clientCertificateData":"CERT PEM","clientKeyData":"KEY PEM"}'));
    const c = credentials(p);
    const cert = await c.clientCertificate();
    expect(cert?.cert.toString()).toBe('CERT PEM');
    expect(cert?.key.toString()).toBe('KEY PEM');
    expect(await c.token()).toBeUndefined();
    expect(p.runs()).toBe(1);
  });

  it('passes the plugin stderr through', async () => {
    const p = plugin(`echo "opening the browser is not possible here" >&2\n${TOKEN}`);
    const stderr = stderrSink();
    await credentials(p, { stderr }).token();
    expect(stderr.text()).toBe('opening the browser is not possible here\n');
  });

  describe('when the plugin fails', () => {
    const SECRET = 'sk-plugin-secret-0123456789';

    it.each([
      [
        'exits 1',
        `echo "token expired, run aws sso login" >&2\necho '${SECRET}'\nexit 1`,
        /exited with code 1 \(its stderr is above\)$/,
      ],
      [
        'prints garbage',
        `echo 'garbage ${SECRET}'`,
        /printed \d+ bytes that are not JSON \(expected an ExecCredential\)$/,
      ],
      [
        'prints JSON that is not an ExecCredential',
        `echo '{"kind":"ExecCredential","token":"${SECRET}"}'`,
        /printed an invalid ExecCredential: apiVersion: expected string/,
      ],
      [
        'answers another apiVersion',
        credential(`{"token":"${SECRET}"}`, 'client.authentication.k8s.io/v1beta1'),
        /another apiVersion than the configured client\.authentication\.k8s\.io\/v1$/,
      ],
      [
        'returns no credential',
        credential('{"expirationTimestamp":"2030-01-01T00:00:00Z"}'),
        /neither status\.token nor/,
      ],
      [
        'returns a certificate without its key',
        credential(`{"clientCertificateData":"${SECRET}"}`),
        /only one of status\.clientCertificateData and status\.clientKeyData/,
      ],
      [
        'returns a bad expirationTimestamp',
        credential(`{"token":"${SECRET}","expirationTimestamp":"tomorrow"}`),
        /expirationTimestamp is not an RFC 3339 time/,
      ],
    ])(
      'one clear error naming the user entry when it %s, never echoing its stdout',
      async (_case, body, message) => {
        const p = plugin(body);
        const err = await rejection(credentials(p).token());
        expect(err.code).toBe('EXEC_FAILED');
        const command = join(p.kubeconfig, '..', 'plugin.sh');
        expect(
          err.message.startsWith(`${p.kubeconfig}: users[0] "eks-user": exec plugin "${command}": `),
        ).toBe(true);
        expect(err.message).toMatch(message);
        expect(err.message).not.toContain('\n');
        expect(`${err.message}${err.stack}${String(err.cause)}`).not.toContain(SECRET);
      },
    );

    it('kills a plugin that hangs, with whatever it started, after the timeout', async () => {
      const p = plugin('sleep 30 &\necho $! > "$STATE/child"\necho $$ > "$STATE/pid"\nwait');
      const started = Date.now();
      const err = await rejection(credentials(p, { timeoutMs: 400 }).token());
      expect(err.message).toMatch(/did not finish within 400 ms and was killed$/);
      expect(Date.now() - started).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 100));
      for (const file of ['pid', 'child']) {
        const pid = Number(readFileSync(join(p.state, file), 'utf8'));
        expect(alive(pid)).toBe(false);
      }
    });

    it('shows the installHint when the command does not exist', async () => {
      const p = plugin(TOKEN, {
        command: 'strata-test-no-such-plugin',
        installHint: 'Install the AWS CLI:\n  https://aws.amazon.com/cli/',
      });
      const err = await rejection(credentials(p).token());
      expect(err.message).toMatch(
        /exec plugin "strata-test-no-such-plugin": command not found; Install the AWS CLI: https:\/\/aws\.amazon\.com\/cli\/$/,
      );
    });

    it('tries again on the next request after a failed run', async () => {
      const p = plugin(`if [ "$n" = 1 ]; then exit 3; fi\n${TOKEN}`);
      const c = credentials(p);
      await expect(c.token()).rejects.toThrow(/exited with code 3$/);
      expect(await c.token()).toBe('tok-2');
    });
  });
});
