import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterError } from './errors.js';
import { loadKubeconfig } from './kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
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
contexts:
- name: prod
  context: {cluster: prod-cluster, user: admin, namespace: shop}
- name: dev
  context: {cluster: dev-cluster, user: dev}
- name: exec
  context: {cluster: dev-cluster, user: eks}
- name: half
  context: {cluster: dev-cluster, user: half}
users:
- name: admin
  user:
    client-certificate: certs/admin.crt
    client-key-data: ${b64('KEY PEM')}
- name: dev
  user: {token: dev-token}
- name: eks
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}
- name: half
  user: {client-certificate-data: ${b64('CERT')}}
`;

describe('kubeconfig', () => {
  const file = write('config', CONFIG);

  it('resolves the current context: server, CA data, namespace, client cert from a relative path', () => {
    mkdirSync(join(dir, 'certs'), { recursive: true });
    writeFileSync(join(dir, 'certs', 'admin.crt'), 'CERT PEM');
    const c = loadKubeconfig(file);
    expect(c).toMatchObject({
      context: 'prod',
      server: 'https://10.0.0.1:6443',
      namespace: 'shop',
      insecureSkipTlsVerify: false,
    });
    expect(c.ca?.toString()).toBe('CA PEM');
    expect(c.auth.type).toBe('client-cert');
    if (c.auth.type === 'client-cert') {
      expect(c.auth.cert.toString()).toBe('CERT PEM');
      expect(c.auth.key.toString()).toBe('KEY PEM');
    }
  });

  it('resolves a named context with a token, insecure-skip-tls-verify and tls-server-name', () => {
    expect(loadKubeconfig(file, 'dev')).toEqual({
      context: 'dev',
      server: 'https://dev.example:443',
      insecureSkipTlsVerify: true,
      tlsServerName: 'api.dev',
      auth: { type: 'token', token: 'dev-token' },
    });
  });

  it.each([
    ['a missing file', join(dir, 'nope'), undefined, 'KUBECONFIG_NOT_FOUND'],
    ['an unknown context', file, 'staging', 'CONTEXT_NOT_FOUND'],
    ['an exec credential plugin', file, 'exec', 'AUTH_UNSUPPORTED'],
    ['a certificate without its key', file, 'half', 'KUBECONFIG_INVALID'],
    ['a YAML scalar', write('scalar', 'hello'), undefined, 'KUBECONFIG_INVALID'],
    [
      'no current-context',
      write('nocurrent', 'apiVersion: v1\nclusters: []\n'),
      undefined,
      'CONTEXT_NOT_FOUND',
    ],
  ])('rejects %s with %s', (_name, path, context, code) => {
    let caught: unknown;
    try {
      loadKubeconfig(path, context);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ClusterError);
    expect((caught as ClusterError).code).toBe(code);
    expect((caught as ClusterError).message).not.toContain('\n');
  });
});
