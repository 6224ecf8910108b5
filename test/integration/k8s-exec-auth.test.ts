import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/types.js';
import { strata } from '../support/cli.js';
import { type FakeApiServer, startFakeApiServer } from '../support/fake-api-server.js';

const FIXTURE = JSON.parse(readFileSync('src/kube/cluster/fixtures/cluster.json', 'utf8')) as {
  lists: Record<string, Record<string, unknown>[]>;
};
/** what the cluster accepts: an EKS-style presigned-URL token */
const GOOD = 'k8s-aws-v1.aHR0cHM6Ly9zdHMuZXUtd2VzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eQ';
const CONTEXT = 'arn:aws:eks:eu-west-1:123456789012:cluster/shop';

let dir: string;
let bin: string;
let api: FakeApiServer;

/**
 * A stand-in for `aws eks get-token` on PATH: checks its arguments and AWS_PROFILE as the AWS CLI
 * would need them, says something on stderr, and prints a v1beta1 ExecCredential whose token is
 * STALE on the first run when STALE is set (a revoked token), GOOD afterwards.
 */
function writeAwsPlugin(): void {
  const script = join(bin, 'aws');
  writeFileSync(
    script,
    `#!/bin/sh
n=$(( $(cat "$STATE/count" 2>/dev/null || echo 0) + 1 ))
echo $n > "$STATE/count"
[ "$*" = "--region eu-west-1 eks get-token --cluster-name shop --output json" ] || { echo "aws: unexpected arguments: $*" >&2; exit 2; }
[ "$AWS_PROFILE" = prod ] || { echo "aws: AWS_PROFILE is not set" >&2; exit 255; }
[ -n "$FAIL" ] && { echo "An error occurred (ExpiredToken): the SSO session has expired" >&2; echo "partial-output-${GOOD}"; exit 1; }
echo "aws: using profile $AWS_PROFILE" >&2
token=${GOOD}
[ -n "$STALE" ] && [ "$n" = 1 ] && token=k8s-aws-v1.revoked
cat <<EOF
{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"expirationTimestamp":"2099-01-01T00:00:00Z","token":"$token"}}
EOF
`,
  );
  chmodSync(script, 0o755);
}

/** An EKS kubeconfig as `aws eks update-kubeconfig` writes it, in its own directory. */
function writeEksKubeconfig(name: string, env: Record<string, string>): string {
  const state = join(dir, `${name}-state`);
  mkdirSync(state, { recursive: true });
  const file = join(dir, name, 'config');
  mkdirSync(join(dir, name), { recursive: true });
  const envLines = Object.entries({ AWS_PROFILE: 'prod', STATE: state, ...env })
    .map(([k, v]) => `      - name: ${k}\n        value: "${v}"`)
    .join('\n');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: ${readFileSync(api.caFile).toString('base64')}
    server: ${api.url}
  name: ${CONTEXT}
contexts:
- context:
    cluster: ${CONTEXT}
    user: ${CONTEXT}
  name: ${CONTEXT}
current-context: ${CONTEXT}
preferences: {}
users:
- name: ${CONTEXT}
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - --region
      - eu-west-1
      - eks
      - get-token
      - --cluster-name
      - shop
      - --output
      - json
      command: aws
      env:
${envLines}
      interactiveMode: IfAvailable
      provideClusterInfo: false
      installHint: Install the AWS CLI and run aws configure
`,
  );
  return file;
}

const runs = (name: string) => {
  const f = join(dir, `${name}-state`, 'count');
  return existsSync(f) ? Number(readFileSync(f, 'utf8')) : 0;
};

/** `strata k8s` as a user runs it: the built CLI, the plugin found on PATH, kubeconfigs from $KUBECONFIG. */
const k8s = (kubeconfigs: string[], ...args: string[]) =>
  strata(['k8s', '--format', 'json', ...args], {
    env: { KUBECONFIG: kubeconfigs.join(delimiter), PATH: `${bin}${delimiter}${process.env.PATH}` },
    timeoutMs: 120_000,
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-k8s-exec-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  writeAwsPlugin();
  api = await startFakeApiServer({ lists: FIXTURE.lists, auth: { token: GOOD } });
});
afterAll(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('strata k8s with an EKS-style exec credential plugin', () => {
  it('sends the token the plugin issued on every request, running the plugin once', async () => {
    const eks = writeEksKubeconfig('eks', {});
    const other = join(dir, 'other.yaml');
    writeFileSync(other, 'current-context: elsewhere\ncontexts: []\n');
    const before = api.authorizations.length;
    // merged with a missing file first and another file after: the EKS file's current-context wins
    const run = await k8s([join(dir, 'missing.yaml'), eks, other], '--debug');
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as ScanResult;
    expect(json.target).toEqual({ type: 'cluster', name: CONTEXT });
    expect(json.errors).toEqual([]);
    const sent = api.authorizations.slice(before);
    expect(sent.length).toBeGreaterThan(20);
    expect(new Set(sent)).toEqual(new Set([`Bearer ${GOOD}`]));
    expect(runs('eks')).toBe(1);
    // the plugin's stderr reaches the user; --debug says what authenticates, never the token
    expect(run.stderr).toContain('aws: using profile prod\n');
    expect(run.stderr).toContain(`credentials: exec plugin "aws" of user "${CONTEXT}"`);
    expect(run.stderr + run.stdout).not.toContain(GOOD);
  });

  it('runs the plugin again when the API server answers 401 to its token, and the scan succeeds', async () => {
    const stale = writeEksKubeconfig('stale', { STALE: '1' });
    const before = api.authorizations.length;
    const run = await k8s([stale]);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as ScanResult).errors).toEqual([]);
    const sent = api.authorizations.slice(before);
    expect(sent[0]).toBe('Bearer k8s-aws-v1.revoked');
    expect(sent.slice(1).every((a) => a === `Bearer ${GOOD}`)).toBe(true);
    expect(runs('stale')).toBe(2);
  });

  it('stops with one clear error naming the user entry when the plugin fails, without its stdout', async () => {
    const failing = writeEksKubeconfig('failing', { FAIL: '1' });
    const run = await k8s([failing], '--debug');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toContain('An error occurred (ExpiredToken): the SSO session has expired');
    expect(lines).toContain(
      `strata: ${failing}: users[0] "${CONTEXT}": exec plugin "aws": exited with code 1 (its stderr is above)`,
    );
    expect(run.stderr).not.toContain('partial-output');
  });

  it('shows the installHint when the plugin is not installed', async () => {
    const eks = writeEksKubeconfig('not-installed', {});
    const run = await strata(['k8s', '--kubeconfig', eks], { env: { PATH: '/nonexistent' } });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /exec plugin "aws": command not found; Install the AWS CLI and run aws configure$/,
    );
  });
});

describe('strata k8s --debug never shows a kubeconfig secret', () => {
  it.each([
    ['a scan with a static token', 'token: scanner-static-secret\n', 0],
    [
      'a kubeconfig whose YAML breaks right after the token',
      'token: scanner-static-secret\n   broken: [\n',
      2,
    ],
  ])('%s', async (_case, userLines, code) => {
    const file = join(dir, `debug-${code}.yaml`);
    writeFileSync(
      file,
      `current-context: c\nclusters:\n- name: k\n  cluster:\n    server: ${api.url}\n    certificate-authority: ${api.caFile}\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\nusers:\n- name: u\n  user:\n    ${userLines}`,
    );
    const run = await strata(['k8s', '--kubeconfig', file, '--format', 'json', '--debug']);
    expect(run.code).toBe(code);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.stderr + run.stdout).not.toContain('scanner-static-secret');
  });
});
