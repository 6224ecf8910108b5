import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterError } from '../errors.js';
import { loadKubeconfig } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'strata-kubeconfig-merge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

let n = 0;
/** Writes a kubeconfig in its own directory (so relative paths can be told apart). */
function kubeconfig(text: string): string {
  const dir = join(root, `d${n++}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'config');
  writeFileSync(file, text);
  return file;
}

const cluster = (name: string, server: string) => `- name: ${name}\n  cluster: {server: ${server}}\n`;
const context = (name: string, c: string, u: string) =>
  `- name: ${name}\n  context: {cluster: ${c}, user: ${u}}\n`;
const b64 = (s: string) => Buffer.from(s).toString('base64');

const load = (files: string[], options: { context?: string; kubeconfig?: string } = {}) =>
  loadKubeconfig({ env: { KUBECONFIG: files.join(delimiter) }, ...options });

// The rules kubectl documents for $KUBECONFIG ("Organizing cluster access using kubeconfig files",
// merging rules), one case each.
describe('merging $KUBECONFIG files as kubectl does', () => {
  const red = kubeconfig(
    `current-context: red\nclusters:\n${cluster('red-cluster', 'https://red:6443')}contexts:\n${context('red', 'red-cluster', 'red-user')}users:\n- name: red-user\n  user: {token: red-from-first}\n`,
  );
  const blue = kubeconfig(
    `current-context: blue\nclusters:\n${cluster('red-cluster', 'https://other-red:6443')}${cluster('blue-cluster', 'https://blue:6443')}contexts:\n${context('blue', 'blue-cluster', 'red-user')}${context('red', 'blue-cluster', 'blue-user')}users:\n- name: red-user\n  user:\n    client-certificate-data: ${b64('C')}\n    client-key-data: ${b64('K')}\n- name: blue-user\n  user: {tokenFile: token}\n`,
  );
  writeFileSync(join(blue, '..', 'token'), 'blue-token-from-its-own-dir\n');
  const noCurrent = kubeconfig(
    `clusters:\n${cluster('green-cluster', 'https://green:6443')}contexts:\n${context('green', 'green-cluster', 'red-user')}`,
  );
  const missing = join(root, 'does-not-exist', 'config');

  it.each([
    [
      'current-context comes from the first file that sets it',
      [red, blue],
      undefined,
      'red',
      'https://red:6443',
    ],
    [
      'a file without current-context does not stop a later one from setting it',
      [noCurrent, blue],
      undefined,
      'blue',
      'https://blue:6443',
    ],
    ['a context name defined twice: the first file wins', [blue, red], 'red', 'red', 'https://blue:6443'],
    ['a cluster name defined twice: the first file wins', [red, blue], 'red', 'red', 'https://red:6443'],
    [
      'a context may name a cluster and user defined in another file',
      [noCurrent, red],
      'green',
      'green',
      'https://green:6443',
    ],
    ['files that do not exist are skipped', [missing, blue], undefined, 'blue', 'https://blue:6443'],
    ['empty entries of the list are ignored', ['', red, ''], undefined, 'red', 'https://red:6443'],
  ])('%s', (_rule, files, ctx, expectedContext, server) => {
    const c = load(files, ctx ? { context: ctx } : {});
    expect(c.context).toBe(expectedContext);
    expect(c.server).toBe(server);
  });

  it('takes a user entry whole from the first file, never mixing in fields of a later one', async () => {
    const c = load([red, blue], { context: 'blue' });
    expect(c.credentials.kinds).toEqual(['token']);
    expect(await c.credentials.token()).toBe('red-from-first');
    expect(await c.credentials.clientCertificate()).toBeUndefined();
  });

  it('resolves relative paths against the directory of the file that holds them', async () => {
    // blue's `tokenFile: token` sits beside blue's file, not beside red's or the working directory
    const viaBlue = load([blue, red], { context: 'red' });
    expect(viaBlue.credentials.kinds).toEqual(['token-file']);
    expect(await viaBlue.credentials.token()).toBe('blue-token-from-its-own-dir');
  });

  it('lists the files it read, in merge order', () => {
    expect(load([missing, red, blue]).files).toEqual([red, blue]);
  });

  it('--kubeconfig overrides $KUBECONFIG: one file, no merging', () => {
    const c = load([red], { kubeconfig: blue });
    expect(c.context).toBe('blue');
    expect(c.files).toEqual([blue]);
    expect(() => load([red], { kubeconfig: blue, context: 'green' })).toThrow(/context "green" not found/);
  });

  it('reads ~/.kube/config when neither is given', () => {
    const home = join(root, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(
      join(home, '.kube', 'config'),
      `current-context: red\nclusters:\n${cluster('c', 'https://home:6443')}contexts:\n${context('red', 'c', 'u')}users:\n- name: u\n  user: {}\n`,
    );
    vi.stubEnv('HOME', home);
    const c = loadKubeconfig({ env: {} });
    expect(c.server).toBe('https://home:6443');
    expect(c.files).toEqual(['~/.kube/config']);
  });

  it.each([
    [
      'every listed file is missing',
      () => load([missing]),
      'KUBECONFIG_NOT_FOUND',
      /none of the files in \$KUBECONFIG exists/,
    ],
    [
      '--kubeconfig names a missing file',
      () => load([red], { kubeconfig: missing }),
      'KUBECONFIG_NOT_FOUND',
      /kubeconfig not found/,
    ],
    [
      'one file names two users alike',
      () => load([kubeconfig('users:\n- name: a\n  user: {}\n- name: a\n  user: {}\n')]),
      'KUBECONFIG_INVALID',
      /users\[1\]: duplicate name "a" in users/,
    ],
    [
      'a later file cannot be parsed',
      () => load([red, kubeconfig('users: 3\n')]),
      'KUBECONFIG_INVALID',
      /d\d+\/config: users: expected array, got number/,
    ],
  ])('fails when %s', (_case, run, code, message) => {
    let caught: unknown;
    try {
      run();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ClusterError);
    expect((caught as ClusterError).code).toBe(code);
    expect((caught as ClusterError).message).toMatch(message);
  });
});
