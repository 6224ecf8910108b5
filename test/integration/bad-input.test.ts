import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeImage, makeTar } from '../../src/image/walker/testing/fake-image.js';
import { type CliRun, strata } from '../support/cli.js';
import { run } from '../support/exec.js';
import { writeLayout } from '../support/oci-layout.js';
import { freePort, type RunningRegistry, startRegistry } from '../support/registry.js';

/**
 * Issue 2: every bad input gives one clear error line and exit code 2, with bounded memory
 * (the CLI runs with a 128 MiB heap cap), and writes nothing outside a temp dir.
 */
let work: string;
const passwdBefore = readFileSync('/etc/passwd', 'utf8');

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strata-bad-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function expectCleanFailure(r: CliRun, pattern: RegExp): void {
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^strata: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(2);
}

async function layout(name: string, spec: Parameters<typeof writeLayout>[1]): Promise<string> {
  const dir = join(work, name);
  writeLayout(dir, spec);
  return `oci:${dir}:latest`;
}

const scan = (target: string) =>
  strata(['image', target, '--format', 'json', '--insecure', '-q'], { heapMiB: 128 });

describe('bad input to strata image', () => {
  it('a truncated gzip layer', async () => {
    const blob = gzipSync(await makeTar([{ name: 'etc/os-release', content: 'ID=debian\n'.repeat(5000) }]));
    const target = await layout('truncated', { layers: [blob.subarray(0, blob.length - 64)] });
    expectCleanFailure(await scan(target), /truncated/);
  });

  it('a blob whose digest lies', async () => {
    const blob = gzipSync(await makeTar([{ name: 'a', content: 'x' }]));
    const target = await layout('lying', { layers: [blob], lieAboutLayer: 0 });
    expectCleanFailure(await scan(target), /digest|size/i);
  });

  it('a manifest that is not JSON', async () => {
    const target = await layout('not-json', {
      layers: [],
      manifestBytes: Buffer.from('<html>not a manifest'),
    });
    expectCleanFailure(await scan(target), /manifest/i);
  });

  it('a tar entry ../../etc/passwd', async () => {
    const blob = gzipSync(await makeTar([{ name: '../../etc/passwd', content: 'pwned:x:0:0::/:/bin/sh\n' }]));
    const target = await layout('traversal', { layers: [blob] });
    expectCleanFailure(await scan(target), /escapes the image root/);
    expect(readFileSync('/etc/passwd', 'utf8')).toBe(passwdBefore);
    expect(readdirSync(join(work, 'traversal'))).toEqual(['blobs', 'index.json', 'oci-layout']);
  });

  it('a 10 GB sparse entry', async () => {
    const src = join(work, 'sparse-src');
    mkdirSync(src);
    await run('truncate', ['-s', '10G', join(src, 'huge')]);
    const tar = join(work, 'sparse.tar');
    await run('tar', ['--sparse', '--format=gnu', '-C', src, '-cf', tar, 'huge']);
    const target = await layout('sparse', { layers: [gzipSync(readFileSync(tar))] });
    const r = await strata(['image', target, '--format', 'json', '-q'], { heapMiB: 128, measure: true });
    expectCleanFailure(r, /sparse/);
    expect(r.maxRssKiB).toBeLessThan(300 * 1024);
  });

  it('an unknown layer media type', async () => {
    const blob = gzipSync(await makeTar([{ name: 'a', content: 'x' }]));
    const target = await layout('media', {
      layers: [blob],
      layerMediaType: 'application/vnd.example.mystery+gzip',
    });
    expectCleanFailure(await scan(target), /media type/i);
  });

  it('an unreachable registry', async () => {
    const port = await freePort();
    const started = Date.now();
    expectCleanFailure(await scan(`127.0.0.1:${port}/nothing/here:latest`), /127\.0\.0\.1/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a target that does not exist', async () => {
    expectCleanFailure(await scan(`oci:${join(work, 'missing')}:latest`), /missing/);
  });

  describe('symlink loops', () => {
    it('are never followed inside a root filesystem: the scan completes', async () => {
      const root = join(work, 'loop-root');
      mkdirSync(join(root, 'etc'), { recursive: true });
      writeFileSync(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
      symlinkSync('b', join(root, 'etc/a'));
      symlinkSync('a', join(root, 'etc/b'));
      symlinkSync('.', join(root, 'etc/self'));
      const r = await strata(['sbom', `dir:${root}`, '--format', 'json', '-q'], { heapMiB: 128 });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).os).toEqual({ family: 'debian', version: '12' });
    });

    it('as the target itself give one clear line', async () => {
      const loop = join(work, 'loop-target');
      symlinkSync(loop, loop);
      expectCleanFailure(await scan(`dir:${loop}`), /loop-target/);
    });
  });
});

describe('a registry that serves a corrupted blob', () => {
  let reg: RunningRegistry;
  beforeAll(async () => {
    reg = await startRegistry();
    const dir = join(work, 'push');
    const blob = gzipSync(
      await makeTar([{ name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.20.1\n' }]),
    );
    writeLayout(dir, { layers: [blob] });
    await run('skopeo', [
      'copy',
      '-q',
      '--dest-tls-verify=false',
      `oci:${dir}:latest`,
      `docker://${reg.host}/x/y:1`,
    ]);
    const data = join(
      reg.storage,
      'docker/registry/v2/blobs/sha256',
      fakeImage([blob]).layers[0]!.digest.slice(7, 9),
    );
    const file = join(data, fakeImage([blob]).layers[0]!.digest.slice(7), 'data');
    expect(existsSync(file)).toBe(true);
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 20) ^ 0xff, bytes.length - 20);
    writeFileSync(file, bytes);
  }, 120_000);
  afterAll(() => reg?.stop());

  it('is a digest error, never a result', async () => {
    expectCleanFailure(await scan(`${reg.host}/x/y:1`).then((r) => r), /digest/i);
  });
});
