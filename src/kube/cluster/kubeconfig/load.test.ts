import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterError } from '../errors.js';
import { displayPath } from './files.js';
import { loadKubeconfig } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

const CONFIG = `apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod-cluster
  cluster:
    server: https://10.0.0.1:6443/
    certificate-authority-data: ${b64('CA PEM')}
- name: dev-cluster
  cluster:
    server: https://dev.example:443
    insecure-skip-tls-verify: true
    tls-server-name: api.dev
    proxy-url: socks5://127.0.0.1:1080
- name: bad-proxy
  cluster: {server: https://x, proxy-url: "ftp://proxy"}
contexts:
- name: prod
  context: {cluster: prod-cluster, user: admin, namespace: shop}
- name: dev
  context: {cluster: dev-cluster, user: dev}
- name: half
  context: {cluster: dev-cluster, user: half}
- name: gcp
  context: {cluster: dev-cluster, user: gcp}
- name: both
  context: {cluster: dev-cluster, user: both}
- name: always
  context: {cluster: dev-cluster, user: always}
- name: v1-no-mode
  context: {cluster: dev-cluster, user: v1-no-mode}
- name: proxy
  context: {cluster: bad-proxy}
- name: lost-user
  context: {cluster: dev-cluster, user: nobody}
- name: files
  context: {cluster: dev-cluster, user: files}
- name: basic
  context: {cluster: dev-cluster, user: basic}
- name: token-and-exec
  context: {cluster: dev-cluster, user: token-and-exec}
users:
- name: admin
  user:
    client-certificate: certs/admin.crt
    client-key-data: ${b64('KEY PEM')}
- name: dev
  user: {token: dev-token-secret}
- name: half
  user: {client-certificate-data: ${b64('CERT')}}
- name: gcp
  user:
    auth-provider: {name: gcp, config: {access-token: ya29.secret}}
- name: both
  user: {token: t, username: u, password: p}
- name: always
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, interactiveMode: Always}
- name: v1-no-mode
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1, command: aws}
- name: files
  user: {client-certificate: certs/none.crt, client-key: certs/none.key}
- name: basic
  user: {username: admin, password: hunter2-secret}
- name: token-and-exec
  user:
    token: static-token
    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}
`;

function failure(run: () => unknown): ClusterError {
  try {
    run();
  } catch (err) {
    if (err instanceof ClusterError) return err;
    throw err;
  }
  throw new Error('expected a ClusterError');
}

describe('kubeconfig', () => {
  const file = write('config', CONFIG);
  mkdirSync(join(dir, 'certs'), { recursive: true });
  writeFileSync(join(dir, 'certs', 'admin.crt'), 'CERT PEM');

  describe('resolving a context', () => {
    it('resolves the current context: server, CA data, namespace, client cert from a relative path', async () => {
      const c = loadKubeconfig({ kubeconfig: file });
      expect(c).toMatchObject({
        context: 'prod',
        server: 'https://10.0.0.1:6443',
        namespace: 'shop',
        insecureSkipTlsVerify: false,
        files: [file],
      });
      expect(c.ca?.toString()).toBe('CA PEM');
      expect(c.credentials.kinds).toEqual(['client-certificate']);
      const cert = await c.credentials.clientCertificate();
      expect(cert?.cert.toString()).toBe('CERT PEM');
      expect(cert?.key.toString()).toBe('KEY PEM');
      expect(await c.credentials.token()).toBeUndefined();
    });

    it('resolves a named context with a token, insecure-skip-tls-verify, tls-server-name and proxy-url', async () => {
      const c = loadKubeconfig({ kubeconfig: file, context: 'dev' });
      expect(c).toMatchObject({
        context: 'dev',
        server: 'https://dev.example:443',
        insecureSkipTlsVerify: true,
        tlsServerName: 'api.dev',
        proxyUrl: 'socks5://127.0.0.1:1080',
      });
      expect(c.credentials.kinds).toEqual(['token']);
      expect(await c.credentials.token()).toBe('dev-token-secret');
      expect(await c.credentials.rejected('dev-token-secret')).toBe(false);
    });

    it('sends basic auth for username/password', () => {
      const c = loadKubeconfig({ kubeconfig: file, context: 'basic' });
      expect(c.credentials.basic()).toEqual({ username: 'admin', password: 'hunter2-secret' });
    });

    it('uses a static token rather than the exec plugin when a user has both (as client-go)', async () => {
      const c = loadKubeconfig({ kubeconfig: file, context: 'token-and-exec' });
      expect(c.credentials.kinds).toEqual(['token']);
      expect(await c.credentials.token()).toBe('static-token');
    });

    it('never shows a secret when the config is inspected or serialised', () => {
      for (const context of ['dev', 'basic']) {
        const c = loadKubeconfig({ kubeconfig: file, context });
        const shown = `${inspect(c, { depth: 10, showHidden: true })}${JSON.stringify(c)}`;
        expect(shown).not.toMatch(/dev-token-secret|hunter2-secret/);
        expect(c.credentials.description).toMatch(/^(token|basic) of user "(dev|basic)"$/);
      }
    });
  });

  it.each([
    ['a missing file', { kubeconfig: join(dir, 'nope') }, 'KUBECONFIG_NOT_FOUND', /kubeconfig not found/],
    [
      'an unknown context',
      { kubeconfig: file, context: 'staging' },
      'CONTEXT_NOT_FOUND',
      /context "staging" not found/,
    ],
    [
      'a certificate without its key',
      { kubeconfig: file, context: 'half' },
      'KUBECONFIG_INVALID',
      /users\[2\] "half": client-certificate and client-key go together/,
    ],
    [
      'a legacy auth-provider',
      { kubeconfig: file, context: 'gcp' },
      'AUTH_UNSUPPORTED',
      /users\[3\] "gcp": auth-provider "gcp" is not supported .*gke-gcloud-auth-plugin/,
    ],
    [
      'a token and basic auth together',
      { kubeconfig: file, context: 'both' },
      'KUBECONFIG_INVALID',
      /more than one authentication method/,
    ],
    [
      'interactiveMode Always',
      { kubeconfig: file, context: 'always' },
      'AUTH_UNSUPPORTED',
      /"always": exec.interactiveMode Always needs a terminal/,
    ],
    [
      'v1 exec without interactiveMode',
      { kubeconfig: file, context: 'v1-no-mode' },
      'KUBECONFIG_INVALID',
      /interactiveMode must be set/,
    ],
    [
      'a proxy-url that is not http(s)/socks5',
      { kubeconfig: file, context: 'proxy' },
      'KUBECONFIG_INVALID',
      /clusters\[2\] "bad-proxy": proxy-url must be/,
    ],
    [
      'a context naming an unknown user',
      { kubeconfig: file, context: 'lost-user' },
      'KUBECONFIG_INVALID',
      /contexts\[8\] "lost-user": user "nobody" not found/,
    ],
    [
      'client-certificate files that do not exist',
      { kubeconfig: file, context: 'files' },
      'KUBECONFIG_INVALID',
      /client-certificate: .*certs\/none\.crt: no such file/,
    ],
    ['a YAML scalar', { kubeconfig: write('scalar', 'hello') }, 'KUBECONFIG_INVALID', /not a kubeconfig/],
    [
      'no current-context',
      { kubeconfig: write('nocurrent', 'apiVersion: v1\nclusters: []\n') },
      'CONTEXT_NOT_FOUND',
      /no current-context; pass --context/,
    ],
  ])('rejects %s with %s', (_name, options, code, message) => {
    const err = failure(() => loadKubeconfig(options));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
    expect(err.message).not.toMatch(/secret/);
  });

  describe('when the file does not have the kubeconfig shape', () => {
    it.each([
      [
        'users:\n- name: eks\n  user:\n    exec: {command: 42, apiVersion: client.authentication.k8s.io/v1}\n',
        'users[0].user.exec.command: expected string, got number',
      ],
      [
        'contexts:\n- name: a\n  context: {cluster: [x]}\n',
        'contexts[0].context.cluster: expected string, got array',
      ],
      [
        'users:\n- name: u\n  user:\n    exec: {command: aws, apiVersion: client.authentication.k8s.io/v1alpha1}\n',
        'users[0].user.exec.apiVersion: ',
      ],
      ['clusters:\n- cluster: {server: https://x}\n', 'clusters[0].name: expected string'],
    ])('names the file and the field: %j', (text, message) => {
      const path = write('shape.yaml', text);
      const err = failure(() => loadKubeconfig({ kubeconfig: path }));
      expect(err.code).toBe('KUBECONFIG_INVALID');
      expect(err.message.startsWith(`${path}: ${message}`)).toBe(true);
    });

    it('reports a YAML syntax error by position, never quoting the line (it may hold a token)', () => {
      const path = write('broken.yaml', 'users:\n- name: u\n  user:\n    token: sk-live-secret\n   bad: [\n');
      const err = failure(() => loadKubeconfig({ kubeconfig: path }));
      expect(err.message).toMatch(/^.*broken\.yaml: not valid YAML at line \d+, column \d+/);
      expect(`${err.message} ${err.stack} ${String(err.cause)}`).not.toContain('sk-live-secret');
    });
  });

  describe('tokenFile', () => {
    const tokenConfig = (tokenFile: string) =>
      write(
        'token-file/config',
        `current-context: c\nclusters:\n- name: k\n  cluster: {server: https://k}\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\nusers:\n- name: u\n  user: {tokenFile: ${tokenFile}, token: inline-token}\n`,
      );

    it('re-reads the file on every use (a projected token rotates) and wins over an inline token', async () => {
      const c = loadKubeconfig({ kubeconfig: tokenConfig('sa-token') });
      writeFileSync(join(dir, 'token-file', 'sa-token'), 'first-token\n');
      expect(await c.credentials.token()).toBe('first-token');
      expect(await c.credentials.rejected('first-token')).toBe(false);
      writeFileSync(join(dir, 'token-file', 'sa-token'), 'rotated-token\n');
      expect(await c.credentials.rejected('first-token')).toBe(true);
      expect(await c.credentials.token()).toBe('rotated-token');
    });

    it('fails naming the user entry when the file is missing or empty', async () => {
      const c = loadKubeconfig({ kubeconfig: tokenConfig('gone') });
      await expect(c.credentials.token()).rejects.toThrow(
        /users\[0\] "u": tokenFile .*\/gone: no such file$/,
      );
      writeFileSync(join(dir, 'token-file', 'gone'), '\n');
      await expect(c.credentials.token()).rejects.toThrow(/tokenFile .*\/gone is empty$/);
    });
  });

  it('shows files under the home directory as ~/…', () => {
    expect(displayPath(join(homedir(), '.kube', 'config'))).toBe('~/.kube/config');
    expect(displayPath('/etc/kube/config')).toBe('/etc/kube/config');
  });
});
