import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineName } from './sources.js';

/** Where an engine's API listens. */
export type Endpoint =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls: boolean }
  /** a setting Strata cannot follow (`ssh://`, `npipe://`, a typo): the reason says which */
  | { readonly kind: 'unsupported'; readonly text: string; readonly reason: string };

export function formatEndpoint(e: Endpoint): string {
  switch (e.kind) {
    case 'unix':
      return `unix://${e.path}`;
    case 'tcp':
      return `tcp://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
    case 'unsupported':
      return e.text;
  }
}

/** `unix:///path`, `tcp://host:port` (a variable's value); anything else is unsupported. */
export function parseEndpoint(text: string, variable: string, tls = false): Endpoint {
  if (text.startsWith('unix://')) return { kind: 'unix', path: text.slice('unix://'.length) };
  if (text.startsWith('/')) return { kind: 'unix', path: text };
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(text);
  if (m) {
    const host = m[1]!.replace(/^\[|\]$/g, '');
    return { kind: 'tcp', host, port: Number(m[2] ?? (tls ? 2376 : 2375)), tls };
  }
  return {
    kind: 'unsupported',
    text,
    reason: `${variable}=${text}: only unix:// and tcp:// endpoints are supported`,
  };
}

/** Docker: `DOCKER_HOST` (with `DOCKER_TLS_VERIFY` for TLS), else `/var/run/docker.sock`. */
export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env): Endpoint {
  const host = env.DOCKER_HOST;
  if (host) return parseEndpoint(host, 'DOCKER_HOST', Boolean(env.DOCKER_TLS_VERIFY));
  return { kind: 'unix', path: '/var/run/docker.sock' };
}

/** Podman: `CONTAINER_HOST`, else the rootless socket, else the system one. */
export function podmanEndpoint(env: NodeJS.ProcessEnv = process.env): Endpoint {
  if (env.CONTAINER_HOST) return parseEndpoint(env.CONTAINER_HOST, 'CONTAINER_HOST');
  const candidates = [
    ...(env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'podman/podman.sock')] : []),
    '/run/podman/podman.sock',
  ];
  const found = candidates.find((p) => existsSync(p)) ?? candidates.at(-1)!;
  return { kind: 'unix', path: found };
}

/** containerd: `CONTAINERD_ADDRESS`, else `/run/containerd/containerd.sock`. */
export function containerdEndpoint(env: NodeJS.ProcessEnv = process.env): Endpoint {
  const address = env.CONTAINERD_ADDRESS;
  if (address) return parseEndpoint(address, 'CONTAINERD_ADDRESS');
  return { kind: 'unix', path: '/run/containerd/containerd.sock' };
}

/** The namespaces searched: `CONTAINERD_NAMESPACE` alone when set, else Kubernetes' then ctr/nerdctl's. */
export function containerdNamespaces(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  return env.CONTAINERD_NAMESPACE ? [env.CONTAINERD_NAMESPACE] : ['k8s.io', 'default'];
}

export function engineEndpoint(engine: EngineName, env: NodeJS.ProcessEnv = process.env): Endpoint {
  switch (engine) {
    case 'docker':
      return dockerEndpoint(env);
    case 'podman':
      return podmanEndpoint(env);
    case 'containerd':
      return containerdEndpoint(env);
  }
}
