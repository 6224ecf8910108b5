import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, strata } from '../support/cli.js';
import {
  containerdDigest,
  engineEnv,
  type RunningDockerd,
  type RunningEngine,
  startContainerd,
  startDockerd,
  startPodman,
} from '../support/engines.js';
import { buildImage, skopeoCopy } from '../support/registry.js';

/**
 * `strata image NAME` finds images where users build them: real dockerd, `podman system service`
 * and containerd, each with its own temporary state, loaded with the same small images.
 */
let work: string;
let docker: RunningDockerd;
let podman: RunningEngine;
let containerd: RunningEngine;
/** docker-archives: v1 has two dpkg packages, v2 three */
const archives: Record<'v1' | 'v2', string> = { v1: '', v2: '' };

const OS_RELEASE = 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n';

function dpkgStatus(names: readonly string[]): string {
  return names
    .map(
      (n) =>
        `Package: ${n}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-1\nMaintainer: t <t@example.org>\nDescription: ${n}\n`,
    )
    .join('\n');
}

interface Scan {
  readonly code: number | null;
  readonly stderr: string;
  readonly target?: { name: string; digest?: string };
  readonly packages: string[];
}

async function sbom(target: string, env: NodeJS.ProcessEnv, ...extra: string[]): Promise<Scan> {
  const r = await strata(['sbom', target, '--format', 'json', ...extra], { env });
  if (r.code !== 0) return { code: r.code, stderr: r.stderr, packages: [] };
  const doc = JSON.parse(r.stdout) as {
    target: { name: string; digest?: string };
    packages: { name: string; version: string; purl?: string }[];
  };
  return {
    code: r.code,
    stderr: r.stderr,
    target: doc.target,
    packages: doc.packages.map((p) => `${p.name}@${p.version}`).sort(),
  };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-engines-'));
  const layout = join(work, 'layout');
  for (const [tag, names] of [
    ['v1', ['alpha', 'bravo']],
    ['v2', ['alpha', 'bravo', 'charlie']],
  ] as const) {
    buildImage(layout, tag, {
      layers: [
        { files: { 'etc/os-release': OS_RELEASE }, createdBy: 'os-release' },
        { files: { 'var/lib/dpkg/status': dpkgStatus(names) }, createdBy: `dpkg ${tag}` },
      ],
    });
    archives[tag] = join(work, `${tag}.tar`);
  }
  // the same images under every name the tests look up
  await skopeoCopy(`oci:${layout}:v1`, `docker-archive:${archives.v1}:myapp:dev`);
  await skopeoCopy(`oci:${layout}:v2`, `docker-archive:${archives.v2}:myapp:order`);
  const v1k8s = join(work, 'v1-k8s.tar');
  await skopeoCopy(`oci:${layout}:v1`, `docker-archive:${v1k8s}:myapp:k8s`);
  const v1order = join(work, 'v1-order.tar');
  await skopeoCopy(`oci:${layout}:v1`, `docker-archive:${v1order}:myapp:order`);

  [docker, podman, containerd] = await Promise.all([startDockerd(), startPodman(), startContainerd()]);
  await docker.load(archives.v1);
  await podman.load(archives.v1);
  await containerd.load(archives.v1, 'default');
  await containerd.load(v1k8s, 'k8s.io');
  // myapp:order: v1 in docker, v2 in podman (which source answers shows in the packages)
  await docker.load(v1order);
  await podman.load(archives.v2);
}, 300_000);

afterAll(async () => {
  await Promise.all([docker?.stop(), podman?.stop(), containerd?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('strata image NAME from the local engines (--image-src)', () => {
  let expected: string[];
  beforeAll(async () => {
    const direct = await sbom(`docker-archive:${archives.v1}`, engineEnv(work));
    expect(direct.code, direct.stderr).toBe(0);
    expected = direct.packages;
    expect(expected).toEqual(['alpha@1.0-1', 'bravo@1.0-1']);
  });

  it.each([
    ['docker', () => docker],
    ['podman', () => podman],
    ['containerd', () => containerd],
  ])('finds myapp:dev in %s with the same packages as its archive', async (name, engine) => {
    const r = await sbom('myapp:dev', engine().env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.packages).toEqual(expected);
    expect(r.target?.name).toBe('myapp:dev');
    expect(r.stderr).toContain(`myapp:dev: found in ${name}\n`);
    // a daemon that is not there is passed over without a word
    expect(r.stderr).not.toMatch(/no daemon/);
  });

  it('reads Docker over its TCP listener (DOCKER_HOST=tcp://)', async () => {
    const r = await sbom('myapp:dev', engineEnv(work, { DOCKER_HOST: `tcp://${docker.tcp}` }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.packages).toEqual(expected);
  });

  it('strata image (the scan command) takes the engine image as well', async () => {
    const db = join(work, 'none.db');
    const r = await strata(['image', 'myapp:dev', '--format', 'json', '--scanners', 'secret', '--db', db], {
      env: podman.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).target.name).toBe('myapp:dev');
  });

  it('gives Podman images the registry digest Podman knows them by', async () => {
    const r = await sbom('myapp:dev', podman.env);
    expect(r.target?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('gives containerd images the manifest digest containerd stored', async () => {
    const r = await sbom('myapp:dev', containerd.env);
    expect(r.target?.digest).toBe(
      await containerdDigest(containerd, 'default', 'docker.io/library/myapp:dev'),
    );
  });

  it('searches containerd namespace k8s.io as well as default', async () => {
    const r = await sbom('myapp:k8s', containerd.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.packages).toEqual(expected);
    const only = await sbom('myapp:k8s', { ...containerd.env, CONTAINERD_NAMESPACE: 'default' });
    expect(only.code).toBe(2);
    expect(only.stderr).toMatch(/containerd: no image myapp:k8s in namespaces default/);
  });

  it('takes the explicit prefixes docker:, podman:, containerd: (that engine only)', async () => {
    const all = {
      ...docker.env,
      CONTAINER_HOST: podman.env.CONTAINER_HOST,
      CONTAINERD_ADDRESS: containerd.env.CONTAINERD_ADDRESS,
    };
    for (const engine of ['docker', 'podman', 'containerd']) {
      const r = await sbom(`${engine}:myapp:dev`, all);
      expect(r.code, r.stderr).toBe(0);
      expect(r.packages).toEqual(expected);
      expect(r.target?.name).toBe(`${engine}:myapp:dev`);
    }
    const missing = await sbom('podman:myapp:k8s', all);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('strata: podman:myapp:k8s: no image myapp:k8s\n');
  });

  it('passes over an engine image of another platform (--platform)', async () => {
    const env = {
      ...docker.env,
      CONTAINER_HOST: podman.env.CONTAINER_HOST,
      CONTAINERD_ADDRESS: containerd.env.CONTAINERD_ADDRESS,
    };
    const sources = ['--image-src', 'docker,podman,containerd'];
    const arm = await sbom('myapp:dev', env, '--platform', 'linux/arm64', ...sources);
    expect(arm.code).toBe(2);
    expect(arm.stderr).toMatch(
      /^strata: myapp:dev: no image source has it \(--image-src docker,podman,containerd\): docker: myapp:dev is linux\/amd64, not linux\/arm64\/v8; podman: myapp:dev is linux\/amd64, not linux\/arm64\/v8; containerd: .*no image for platform linux\/arm64\/v8; available: linux\/amd64 \(a single-platform image\)\n$/,
    );
    const amd = await sbom('myapp:dev', env, '--platform', 'linux/amd64', ...sources);
    expect(amd.code, amd.stderr).toBe(0);
    expect(amd.packages).toEqual(expected);
  });

  describe('the order of the sources', () => {
    const both = () => ({ ...docker.env, CONTAINER_HOST: podman.env.CONTAINER_HOST });

    it('takes the first source that has the image: docker before podman by default', async () => {
      const r = await sbom('myapp:order', both());
      expect(r.code, r.stderr).toBe(0);
      expect(r.packages).toEqual(['alpha@1.0-1', 'bravo@1.0-1']);
      expect(r.stderr).toContain('found in docker');
    });

    it('follows --image-src: podman first gives podman`s image', async () => {
      const r = await sbom('myapp:order', both(), '--image-src', 'podman,docker');
      expect(r.code, r.stderr).toBe(0);
      expect(r.packages).toEqual(['alpha@1.0-1', 'bravo@1.0-1', 'charlie@1.0-1']);
      expect(r.stderr).toContain('found in podman');
    });

    it('takes STRATA_IMAGE_SRC as the flag', async () => {
      const r = await sbom('myapp:order', { ...both(), STRATA_IMAGE_SRC: 'podman' });
      expect(r.packages).toContain('charlie@1.0-1');
    });

    it('goes past a daemon that is absent to the next source', async () => {
      const r = await sbom('myapp:dev', engineEnv(work, { CONTAINER_HOST: podman.env.CONTAINER_HOST }));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('found in podman');
      expect(r.stderr).not.toContain('docker');
      expect(r.packages).toEqual(expected);
    });

    it('says under --debug what each source answered before the one that had it', async () => {
      const r = await sbom('myapp:order', both(), '--image-src', 'containerd,podman', '--debug');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        /\nstrata: debug: image source containerd: no daemon at unix:\/\/\S+\/absent\.sock\nmyapp:order: found in podman\nstrata: debug: source podman: myapp:order, manifest sha256:[0-9a-f]{64}, 2 layers/,
      );
    });
  });

  describe('when no source has the image', () => {
    it('exits 2 with one line naming each source and why', async () => {
      const env = {
        ...docker.env,
        CONTAINER_HOST: podman.env.CONTAINER_HOST,
        CONTAINERD_ADDRESS: containerd.env.CONTAINERD_ADDRESS,
      };
      const r = await sbom('nope:1', env, '--image-src', 'docker,podman,containerd');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'strata: nope:1: no image source has it (--image-src docker,podman,containerd): docker: no image nope:1; podman: no image nope:1; containerd: no image nope:1 in namespaces k8s.io, default\n',
      );
    });

    it('says which daemons were not there', async () => {
      const none = join(work, 'absent.sock');
      const r = await sbom('myapp:dev', engineEnv(work), '--image-src', 'docker,podman,containerd');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `strata: myapp:dev: no image source has it (--image-src docker,podman,containerd): docker: no daemon at unix://${none}; podman: no daemon at unix://${none}; containerd: no daemon at unix://${none}\n`,
      );
    });

    it('refuses an unknown source before any work', async () => {
      const r = await sbom('myapp:dev', docker.env, '--image-src', 'docker,kaniko');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'strata: --image-src: unknown source "kaniko" (expected a list of docker, podman, containerd, remote)\n',
      );
    });
  });

  describe('the saved archive', () => {
    it('is deleted after the scan', async () => {
      const tmp = join(work, 'tmp-ok');
      mkdirSync(tmp);
      const r = await sbom('myapp:dev', { ...docker.env, TMPDIR: tmp });
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(tmp)).toEqual([]);
    });

    it('is deleted when the scan is interrupted (Ctrl-C) while the engine is still sending it', async () => {
      const tmp = join(work, 'tmp-int');
      mkdirSync(tmp);
      const socket = join(work, 'slow.sock');
      // an Engine API that knows the image and then sends its archive slowly, for ever
      const server = http.createServer((req, res) => {
        if (req.url?.endsWith('/json')) {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ Id: `sha256:${'a'.repeat(64)}`, RepoTags: ['slow:1'], RepoDigests: [] }));
          return;
        }
        res.setHeader('content-type', 'application/x-tar');
        res.write(Buffer.alloc(4096));
        req.on('close', () => res.destroy());
      });
      await new Promise<void>((done) => server.listen(socket, done));
      try {
        const proc = spawn(process.execPath, [CLI, 'sbom', 'slow:1', '--image-src', 'docker'], {
          env: { ...process.env, ...engineEnv(work, { DOCKER_HOST: `unix://${socket}` }), TMPDIR: tmp },
          stdio: 'ignore',
        });
        const exited = new Promise<NodeJS.Signals | null>((done) =>
          proc.on('exit', (_c, signal) => done(signal)),
        );
        const deadline = Date.now() + 20_000;
        while (!readdirSync(tmp).some((d) => d.startsWith('strata-docker-')) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(readdirSync(tmp)).toHaveLength(1);
        proc.kill('SIGINT');
        expect(await exited).toBe('SIGINT');
        expect(readdirSync(tmp)).toEqual([]);
      } finally {
        await new Promise((done) => server.close(done));
      }
    });

    it('is capped by STRATA_MAX_IMAGE_BYTES, and deleted when over it', async () => {
      const tmp = join(work, 'tmp-cap');
      mkdirSync(tmp);
      const r = await sbom('myapp:dev', { ...docker.env, TMPDIR: tmp, STRATA_MAX_IMAGE_BYTES: '4K' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^strata: docker \(unix:\/\/.*docker\.sock\): myapp:dev: the saved image is larger than 4 KiB \(STRATA_MAX_IMAGE_BYTES\)\n$/,
      );
      expect(readdirSync(tmp)).toEqual([]);
    });
  });
});

describe('an Engine API that answers nonsense', () => {
  /** a fake daemon on a unix socket: `inspect` is the body of GET /images/NAME/json, `save` of /get */
  async function withFake(
    handlers: { inspect: string; save?: Buffer },
    body: (env: NodeJS.ProcessEnv) => Promise<void>,
  ): Promise<void> {
    const socket = join(work, `fake-${Math.random().toString(36).slice(2)}.sock`);
    const server = http.createServer((req, res) => {
      if (req.url?.endsWith('/json')) res.end(handlers.inspect);
      else res.end(handlers.save ?? Buffer.alloc(0));
    });
    await new Promise<void>((done) => server.listen(socket, done));
    try {
      await body(engineEnv(work, { DOCKER_HOST: `unix://${socket}` }));
    } finally {
      await new Promise((done) => server.close(done));
    }
  }

  it('an inspect answer of the wrong shape is one line naming the field', async () => {
    await withFake({ inspect: '{"Id": 5}' }, async (env) => {
      const r = await sbom('bad:1', env, '--image-src', 'docker');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^strata: docker \(unix:\/\/\S+\): bad:1: Id: expected string, got number\n$/);
    });
  });

  it('an archive that is not one is one line, and the temporary file is removed', async () => {
    const tmp = join(work, 'tmp-junk');
    mkdirSync(tmp);
    const inspect = JSON.stringify({ Id: `sha256:${'b'.repeat(64)}`, RepoTags: ['junk:1'] });
    await withFake({ inspect, save: Buffer.from('not a tar at all') }, async (env) => {
      const r = await sbom('junk:1', { ...env, TMPDIR: tmp }, '--image-src', 'docker');
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr).toMatch(/^strata: .*junk:1.*\n$/);
      expect(readdirSync(tmp)).toEqual([]);
    });
  });
});

describe('strata probe against the real dockerd TCP listener', () => {
  it('reports the Docker API open without client authentication', async () => {
    const r = await strata(['probe', docker.tcp, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const findings = (
      JSON.parse(r.stdout) as { findings: { id: string; evidence: Record<string, unknown> }[] }
    ).findings;
    expect(findings.map((f) => f.id).sort()).toEqual([
      'STRATA-PROBE-DOCKER-API',
      'STRATA-PROBE-DOCKER-CONTAINERS',
    ]);
    const api = findings.find((f) => f.id === 'STRATA-PROBE-DOCKER-API');
    expect(api?.evidence).toMatchObject({
      service: 'docker',
      request: `GET http://${docker.tcp}/version`,
      status: 200,
      seen: { ApiVersion: expect.stringMatching(/^1\.\d+$/), Os: 'linux' },
    });
    const containers = findings.find((f) => f.id === 'STRATA-PROBE-DOCKER-CONTAINERS');
    expect(containers?.evidence).toMatchObject({ seen: { containers: 0 } });
  });
});

describe('a Docker daemon that requires client certificates (--tlsverify)', () => {
  let secured: RunningDockerd;
  beforeAll(async () => {
    secured = await startDockerd({ tls: true });
    await secured.load(archives.v1);
  }, 120_000);
  afterAll(() => secured?.stop());

  it('is read over tcp:// with DOCKER_TLS_VERIFY and the certificates in DOCKER_CERT_PATH', async () => {
    const r = await sbom('myapp:dev', secured.env, '--image-src', 'docker');
    expect(r.code, r.stderr).toBe(0);
    expect(r.packages).toEqual(['alpha@1.0-1', 'bravo@1.0-1']);
  });

  it('is one clear failure without the certificates', async () => {
    const { DOCKER_TLS_VERIFY: _, ...plain } = secured.env;
    const r = await sbom('myapp:dev', plain, '--image-src', 'docker,podman');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^strata: myapp:dev: no image source has it \(--image-src docker,podman\): docker: .+; podman: no daemon at .+\n$/,
    );
  });

  it('is not reported open by the probe (it refuses a client without a certificate)', async () => {
    const r = await strata(['probe', secured.tcp, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const ids = (JSON.parse(r.stdout) as { findings: { id: string }[] }).findings.map((f) => f.id);
    expect(ids.filter((id) => id.startsWith('STRATA-PROBE-DOCKER'))).toEqual([]);
  });
});
