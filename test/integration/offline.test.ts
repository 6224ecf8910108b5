import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

/**
 * Issue 13: `--offline` never touches the network. A listening socket stands in for a registry
 * and a cluster; the test proves it receives no connection while the command refuses with exit 2.
 */
let work: string;
let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-offline-'));
  writeFileSync(join(work, 'package.json'), '{"name":"app","version":"1.0.0"}');
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

describe('strata --offline', () => {
  it('refuses a reference only a registry could serve naming the flag, without connecting', async () => {
    const ref = `127.0.0.1:${port}/app:1`;
    for (const args of [[ref, '--image-src', 'remote'], [`docker://${ref}`]]) {
      const run = await strata(['image', ...args, '--offline', '--insecure']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `strata: --offline: the registry image "${args[0]}" needs the network (drop --offline, or scan a local copy)\n`,
      );
    }
    expect(connections).toBe(0);
  });

  it('looks a reference up in the local engines only, and says the registry was not tried', async () => {
    const none = join(work, 'no-daemon.sock');
    const run = await strata(['image', `127.0.0.1:${port}/app:1`, '--offline', '--insecure'], {
      env: { DOCKER_HOST: `unix://${none}`, CONTAINER_HOST: `unix://${none}`, CONTAINERD_ADDRESS: none },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `strata: 127.0.0.1:${port}/app:1: no image source has it (--image-src docker,podman,containerd,remote): docker: no daemon at unix://${none}; podman: no daemon at unix://${none}; containerd: no daemon at unix://${none}; remote: not tried (--offline)\n`,
    );
    expect(connections).toBe(0);
  });

  it('refuses strata k8s without connecting to the cluster', async () => {
    const kubeconfig = join(work, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
    );
    const run = await strata(['k8s', '--kubeconfig', kubeconfig, '--offline']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^strata: --offline: reading a live cluster \(strata k8s\) needs the network/);
    expect(connections).toBe(0);
  });

  it('refuses db update naming the flag, without connecting to the mirror', async () => {
    const run = await strata([
      'db',
      'update',
      '--offline',
      '--mirror',
      `http://127.0.0.1:${port}`,
      '--db',
      join(work, 'db', 'strata.db'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--offline was given');
    expect(connections).toBe(0);
  });

  it('scans local targets as usual', async () => {
    const fs = await strata(['fs', work, '--offline', '--scanners', 'secret', '-f', 'json', '-q']);
    expect(fs.code).toBe(0);
    expect(JSON.parse(fs.stdout).target).toEqual({ type: 'filesystem', name: work });
    const image = await strata([
      'image',
      `dir:${work}`,
      '--offline',
      '--scanners',
      'secret',
      '-f',
      'json',
      '-q',
    ]);
    expect(image.code).toBe(0);
    expect(JSON.parse(image.stdout).target).toEqual({ type: 'container_image', name: `dir:${work}` });
  });
});
