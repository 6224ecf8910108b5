import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/types.js';
import { strata } from '../support/cli.js';
import { type DebianImage, debianImage } from '../support/debian-image.js';
import { run } from '../support/exec.js';
import { type RunningRegistry, startRegistry } from '../support/registry.js';

/**
 * Issue 2 "done means": from every source form, the inventory of a real multi-layer Debian
 * image equals what dpkg itself reports for the final filesystem, each package attributed to
 * the layer that introduced it.
 */
let img: DebianImage;
let work: string;
let anon: RunningRegistry;
let authed: RunningRegistry;
const user = { username: 'strata', password: 's3cret-pass' };

beforeAll(async () => {
  img = await debianImage();
  work = mkdtempSync(join(tmpdir(), 'strata-inv-'));
  [anon, authed] = await Promise.all([startRegistry(), startRegistry({ auth: user })]);
  const src = `oci:${img.layout}:${img.tag}`;
  // copies to the same repository run one after the other: docker-registry's filesystem driver
  // answers 500 when two uploads of the same blobs race
  const pushAnon = async () => {
    await run('skopeo', [
      'copy',
      '-q',
      '--dest-tls-verify=false',
      src,
      `docker://${anon.host}/test/debian:oci`,
    ]);
    await run('skopeo', [
      'copy',
      '-q',
      '--dest-tls-verify=false',
      '--format',
      'v2s2',
      src,
      `docker://${anon.host}/test/debian:docker`,
    ]);
  };
  await Promise.all([
    run('skopeo', ['copy', '-q', src, `oci-archive:${join(work, 'image.oci.tar')}`]),
    run('skopeo', ['copy', '-q', src, `docker-archive:${join(work, 'image.docker.tar')}:debian:v4`]),
    pushAnon(),
    run('skopeo', [
      'copy',
      '-q',
      '--dest-tls-verify=false',
      '--dest-creds',
      `${user.username}:${user.password}`,
      src,
      `docker://${authed.host}/private/debian:v4`,
    ]),
  ]);
}, 900_000);

afterAll(async () => {
  await Promise.all([anon?.stop(), authed?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

async function inventory(target: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const r = await strata(['sbom', target, '--format', 'json', '--quiet', ...extra], { env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ScanResult;
}

function asDpkg(result: ScanResult): Record<string, string> {
  return Object.fromEntries(result.packages.map((p) => [p.name, `${p.version} ${p.arch}`]));
}

const sources: [string, () => string, string[]?][] = [
  ['an OCI layout', () => `oci:${img.layout}:${img.tag}`],
  ['an OCI archive', () => `oci-archive:${join(work, 'image.oci.tar')}`],
  ['a docker archive (docker save format)', () => `docker-archive:${join(work, 'image.docker.tar')}`],
  ['a bare path detected by content', () => join(work, 'image.docker.tar')],
  ['a registry serving an OCI manifest', () => `${anon.host}/test/debian:oci`, ['--insecure']],
  [
    'a registry serving a Docker v2 schema 2 manifest',
    () => `${anon.host}/test/debian:docker`,
    ['--insecure'],
  ],
  [
    'a registry behind htpasswd auth (flags)',
    () => `${authed.host}/private/debian:v4`,
    ['--insecure', '--username', 'strata', '--password', 's3cret-pass'],
  ],
];

describe('strata sbom on a real multi-layer Debian image', () => {
  describe.each(sources)('from %s', (_name, target, extra) => {
    let result: ScanResult;
    beforeAll(async () => {
      result = await inventory(target(), extra);
    }, 300_000);

    it('lists exactly what dpkg-query reports for the final filesystem', () => {
      expect(asDpkg(result)).toEqual(img.expected);
    });

    it('detects Debian 12 with its point release', () => {
      expect(result.os).toMatchObject({ family: 'debian', version: expect.stringMatching(/^12\.\d+$/) });
    });

    it('attributes base packages to layer 1 and installed or upgraded ones to layer 2', () => {
      const layers = result.layers!.map((l) => l.digest);
      expect(layers).toHaveLength(4);
      for (const p of result.packages) {
        const want = [...img.installed, ...img.upgraded].includes(p.name) ? layers[1] : layers[0];
        expect(`${p.name} ${p.layer}`).toBe(`${p.name} ${want}`);
      }
    });

    it('does not report the package purged in layer 3', () => {
      expect(result.packages.map((p) => p.name)).not.toContain(img.purged);
    });

    it('records each layer with digest, diffId and history', () => {
      expect(result.layers!.map((l) => l.createdBy)).toEqual([
        'debootstrap --variant=minbase bookworm',
        expect.stringMatching(/^dpkg -i /),
        expect.stringMatching(/^dpkg --purge /),
        'make /usr/share/doc opaque',
      ]);
    });
  });

  it('reads the final root filesystem as dir:', async () => {
    const result = await inventory(`dir:${img.rootfs}`);
    expect(asDpkg(result)).toEqual(img.expected);
  });

  it('drops licenses whose copyright files an opaque directory removed, keeps them in the layer below', async () => {
    const top = await inventory(`oci:${img.layout}:v4`);
    const below = await inventory(`oci:${img.layout}:v3`);
    expect(top.packages.filter((p) => p.licenses).length).toBe(0);
    expect(below.packages.find((p) => p.name === 'libc6')?.licenses).toEqual(
      expect.arrayContaining(['LGPL-2.1']),
    );
  });

  it('uses credentials from a docker config.json', async () => {
    const dockerConfig = join(work, 'docker-config');
    mkdirSync(dockerConfig, { recursive: true });
    const auth = Buffer.from(`${user.username}:${user.password}`).toString('base64');
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [authed.host]: { auth } } }));
    const result = await inventory(`${authed.host}/private/debian:v4`, ['--insecure'], {
      DOCKER_CONFIG: dockerConfig,
    });
    expect(asDpkg(result)).toEqual(img.expected);
  });

  it('fails with one clear line and exit 2 without credentials', async () => {
    const r = await strata(['sbom', `${authed.host}/private/debian:v4`, '--insecure', '--format', 'json'], {
      env: { DOCKER_CONFIG: join(work, 'none') },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unauthori[sz]ed|authentication/i);
  });

  it('gives byte-identical JSON for the same image from two sources', async () => {
    const a = await inventory(`oci:${img.layout}:${img.tag}`);
    const b = await inventory(`oci-archive:${join(work, 'image.oci.tar')}`);
    expect(JSON.stringify(a.packages)).toBe(JSON.stringify(b.packages));
  });
});
