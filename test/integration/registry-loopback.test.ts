import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';
import {
  addIndex,
  buildImage,
  type RunningRegistry,
  skopeoCopy,
  startRegistry,
} from '../support/registry.js';

// `strata image localhost:5000/app` as a user types it after `docker run registry`: no --insecure.
let v4: RunningRegistry;
let v6: RunningRegistry;
let work: string;
let armDigest: string;

beforeAll(async () => {
  [v4, v6] = await Promise.all([startRegistry(), startRegistry({ bind: '::1' })]);
  work = mkdtempSync(join(tmpdir(), 'strata-loopback-'));
  const layout = join(work, 'layout');
  const amd = buildImage(layout, 'amd', {
    layers: [{ files: { 'etc/os-release': 'ID=strata-test\n' }, createdBy: 'ADD os-release /etc/' }],
  });
  const arm = buildImage(layout, 'arm', {
    architecture: 'arm64',
    layers: [{ files: { 'etc/os-release': 'ID=strata-arm\n' }, createdBy: 'ADD os-release /etc/' }],
  });
  armDigest = arm.manifestDigest;
  addIndex(layout, 'multi', [
    { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
    { image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
  ]);
  await skopeoCopy(`oci:${layout}:multi`, `docker://${v4.host}/strata/multi:1`, { all: true });
  await skopeoCopy(`oci:${layout}:amd`, `docker://${v4.host}/strata/amd:1`);
  // skopeo's reference grammar has no IPv6 literals: the [::1] registry gets the same storage
  cpSync(v4.storage, v6.storage, { recursive: true });
}, 120_000);

afterAll(async () => {
  await Promise.all([v4?.stop(), v6?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

const scan = (ref: string, ...extra: string[]) =>
  strata(['image', ref, '--scanners', 'secret', '--format', 'json', '-q', ...extra]);

describe('a registry on the loopback interface, without --insecure', () => {
  it.each([
    ['127.0.0.1', () => `${v4.host}/strata/multi:1`],
    ['localhost', () => `${v4.host.replace('127.0.0.1', 'localhost')}/strata/multi:1`],
    ['[::1]', () => `${v6.host}/strata/multi:1`],
  ])('%s is reached over plain HTTP', async (_name, ref) => {
    const run = await scan(ref());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { target: { name: string; indexDigest?: string } };
    expect(result.target.name).toBe(ref());
    expect(result.target.indexDigest).toMatch(/^sha256:/);
  });

  it('--platform picks the arm64 image of the index', async () => {
    const run = await scan(`${v4.host}/strata/multi:1`, '--platform', 'linux/arm64');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { target: { digest: string } };
    expect(result.target.digest).toBe(armDigest);
  });

  it('--platform naming a platform the index lacks is exit 2, one line listing those available', async () => {
    const run = await scan(`${v4.host}/strata/multi:1`, '--platform', 'linux/s390x');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('linux/s390x');
    expect(lines[0]).toContain('available: linux/amd64, linux/arm64/v8');
  });

  it('--platform naming another platform than a single-platform image is exit 2 too', async () => {
    const run = await scan(`${v4.host}/strata/amd:1`, '--platform', 'linux/arm64');
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /platform linux\/arm64\/v8; available: linux\/amd64 \(a single-platform image\)$/,
      ),
    ]);
    // without --platform the single image is scanned as it is
    expect((await scan(`${v4.host}/strata/amd:1`)).code).toBe(0);
  });

  it('a registry on another address still needs --insecure for plain HTTP', async () => {
    // 127.0.0.2 reaches the same machine but is not a loopback name that may downgrade
    const port = v4.host.split(':')[1];
    const run = await scan(`127.0.0.2:${port}/strata/multi:1`);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('cannot reach 127.0.0.2');
  });
});
