import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTarget } from './open.js';
import { parseImageTarget } from './target.js';
import { makeTar } from './testing/make-tar.js';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-target-'));
  mkdirSync(join(dir, 'layout'));
  writeFileSync(join(dir, 'layout', 'index.json'), '{}');
  writeFileSync(join(dir, 'layout', 'oci-layout'), '{}');
  mkdirSync(join(dir, 'rootfs'));
  writeFileSync(join(dir, 'docker.tar'), await makeTar([{ name: 'manifest.json', content: '[]' }]));
  writeFileSync(
    join(dir, 'oci.tar'),
    await makeTar([
      { name: 'oci-layout', content: '{}' },
      { name: 'index.json', content: '{}' },
    ]),
  );
  writeFileSync(join(dir, 'other.tar'), await makeTar([{ name: 'hello', content: 'x' }]));
  writeFileSync(
    join(dir, 'docker.tar.gz'),
    gzipSync(await makeTar([{ name: 'manifest.json', content: '[]' }])),
  );
  writeFileSync(join(dir, 'notes.txt'), 'just text\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseImageTarget', () => {
  describe('with a transport prefix', () => {
    it.each([
      ['docker-archive:/x/img.tar', { kind: 'docker-archive', path: '/x/img.tar' }],
      ['oci:/x/layout', { kind: 'oci', dir: '/x/layout' }],
      ['oci:/x/layout:v1', { kind: 'oci', dir: '/x/layout', tag: 'v1' }],
      ['oci-archive:/x/img.tar', { kind: 'oci-archive', path: '/x/img.tar' }],
      ['oci-archive:/x/img.tar:latest', { kind: 'oci-archive', path: '/x/img.tar', tag: 'latest' }],
      ['dir:/srv/rootfs', { kind: 'dir', root: '/srv/rootfs' }],
      ['docker://alpine:3.20', { kind: 'registry', reference: 'alpine:3.20', remoteOnly: true }],
      ['docker:myapp:dev', { kind: 'engine', engine: 'docker', name: 'myapp:dev' }],
      ['podman:localhost/app', { kind: 'engine', engine: 'podman', name: 'localhost/app' }],
      [
        'containerd:docker.io/library/app:1',
        { kind: 'engine', engine: 'containerd', name: 'docker.io/library/app:1' },
      ],
    ])('%s', (text, target) => {
      expect(parseImageTarget(text)).toEqual(target);
      expect(formatTarget(parseImageTarget(text))).toBe(text);
    });

    it('takes a bare reference for the image sources to look up, in order', () => {
      expect(parseImageTarget('myapp:dev')).toEqual({ kind: 'registry', reference: 'myapp:dev' });
    });

    it('keeps a colon that belongs to an existing layout path', () => {
      const odd = join(dir, 'with:colon');
      mkdirSync(odd);
      expect(parseImageTarget(`oci:${odd}`)).toEqual({ kind: 'oci', dir: odd });
    });

    it.each(['docker-archive:', 'oci:', 'dir:', 'docker:', 'podman:', 'containerd: '])(
      '%j without a path or name is a usage error',
      (text) => {
        expect(() => parseImageTarget(text)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      },
    );
  });

  describe('with a bare path, detected by content', () => {
    it.each([
      ['layout', 'oci'],
      ['rootfs', 'dir'],
      ['docker.tar', 'docker-archive'],
      ['oci.tar', 'oci-archive'],
    ])('%s is %s', (name, kind) => {
      expect(parseImageTarget(join(dir, name)).kind).toBe(kind);
    });

    it.each([
      ['docker.tar.gz', 'gzip-compressed; decompress it first'],
      ['other.tar', 'without manifest.json (docker-archive) or index.json (oci-archive)'],
      ['notes.txt', 'neither a directory nor a tar archive'],
    ])('%s is a clear INVALID_ARCHIVE', (name, message) => {
      expect(() => parseImageTarget(join(dir, name))).toThrow(message);
      expect(() => parseImageTarget(join(dir, name))).toThrow(
        expect.objectContaining({ code: 'INVALID_ARCHIVE' }),
      );
    });
  });

  describe('with a registry reference', () => {
    it.each(['alpine', 'ghcr.io/a/b:1', `x.io/app@sha256:${'a'.repeat(64)}`])('%s', (text) => {
      expect(parseImageTarget(text)).toEqual({ kind: 'registry', reference: text });
    });

    it.each([
      ['./missing.tar', 'FILE_NOT_FOUND'],
      ['/no/such/dir', 'FILE_NOT_FOUND'],
      ['image.tar', 'FILE_NOT_FOUND'],
      ['Not A Reference', 'INVALID_ARGUMENT'],
      ['', 'INVALID_ARGUMENT'],
    ])('%j that is neither a path nor a reference is %s', (text, code) => {
      expect(() => parseImageTarget(text)).toThrow(expect.objectContaining({ code }));
    });
  });
});
