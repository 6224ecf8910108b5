import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  containerdEndpoint,
  containerdNamespaces,
  dockerEndpoint,
  formatEndpoint,
  parseEndpoint,
  podmanEndpoint,
} from './endpoint.js';

describe('engine endpoints', () => {
  describe('parseEndpoint', () => {
    it.each([
      ['unix:///var/run/docker.sock', { kind: 'unix', path: '/var/run/docker.sock' }],
      ['/run/x.sock', { kind: 'unix', path: '/run/x.sock' }],
      ['tcp://127.0.0.1:2375', { kind: 'tcp', host: '127.0.0.1', port: 2375, tls: false }],
      ['tcp://docker.example', { kind: 'tcp', host: 'docker.example', port: 2375, tls: false }],
      ['tcp://[::1]:2375', { kind: 'tcp', host: '::1', port: 2375, tls: false }],
    ])('%s', (text, expected) => {
      expect(parseEndpoint(text, 'DOCKER_HOST')).toEqual(expected);
    });

    it('defaults the TLS port to 2376', () => {
      expect(parseEndpoint('tcp://h', 'DOCKER_HOST', true)).toEqual({
        kind: 'tcp',
        host: 'h',
        port: 2376,
        tls: true,
      });
    });

    it.each(['ssh://me@host', 'npipe:////./pipe/docker_engine', 'http://h:1'])(
      '%s is unsupported, with a reason naming the variable',
      (text) => {
        const e = parseEndpoint(text, 'DOCKER_HOST');
        expect(e).toEqual({
          kind: 'unsupported',
          text,
          reason: `DOCKER_HOST=${text}: only unix:// and tcp:// endpoints are supported`,
        });
      },
    );

    it('formats back as the engines write it', () => {
      expect(formatEndpoint(parseEndpoint('tcp://[::1]:2375', 'X'))).toBe('tcp://[::1]:2375');
      expect(formatEndpoint(parseEndpoint('/s.sock', 'X'))).toBe('unix:///s.sock');
    });
  });

  it('Docker: DOCKER_HOST, else /var/run/docker.sock', () => {
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.1:2375' })).toMatchObject({ kind: 'tcp', port: 2375 });
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1' })).toMatchObject({
      port: 2376,
      tls: true,
    });
    expect(dockerEndpoint({})).toEqual({ kind: 'unix', path: '/var/run/docker.sock' });
  });

  it('Podman: CONTAINER_HOST, else the rootless socket when it exists, else the system one', () => {
    const run = mkdtempSync(join(tmpdir(), 'strata-xdg-'));
    try {
      expect(podmanEndpoint({ XDG_RUNTIME_DIR: run })).toEqual({
        kind: 'unix',
        path: '/run/podman/podman.sock',
      });
      mkdirSync(join(run, 'podman'));
      writeFileSync(join(run, 'podman/podman.sock'), '');
      expect(podmanEndpoint({ XDG_RUNTIME_DIR: run })).toEqual({
        kind: 'unix',
        path: join(run, 'podman/podman.sock'),
      });
      expect(podmanEndpoint({ XDG_RUNTIME_DIR: run, CONTAINER_HOST: 'unix:///p.sock' })).toEqual({
        kind: 'unix',
        path: '/p.sock',
      });
    } finally {
      rmSync(run, { recursive: true, force: true });
    }
  });

  it('containerd: CONTAINERD_ADDRESS, else /run/containerd/containerd.sock; namespaces k8s.io then default', () => {
    expect(containerdEndpoint({ CONTAINERD_ADDRESS: '/c.sock' })).toEqual({ kind: 'unix', path: '/c.sock' });
    expect(containerdEndpoint({})).toEqual({ kind: 'unix', path: '/run/containerd/containerd.sock' });
    expect(containerdNamespaces({})).toEqual(['k8s.io', 'default']);
    expect(containerdNamespaces({ CONTAINERD_NAMESPACE: 'buildkit' })).toEqual(['buildkit']);
  });
});
