import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/core/digest.js';
import { makeTar } from '../../src/image/walker/testing/fake-image.js';
import { expectCleanEnd, expectInputError, strataHostile } from '../support/hostile.js';
import { writeLayout } from '../support/oci-layout.js';

/**
 * Issue 12, files that are not what they claim: every file a flag names (or a target holds) may be
 * `/dev/zero`, a FIFO nobody writes to, a directory or a 2 GB sparse file. Each must end in one
 * clear line naming the file, quickly, without an out-of-memory abort or a hang. And no
 * directory walk may follow a symlink out of the tree it was given.
 */
const KEYLESS = resolve('src/trust/keyless/fixtures');
const BUNDLE = join(KEYLESS, 'v01-message-signature.json');
const TRUSTED_ROOT = join(KEYLESS, 'trusted_root_pgi.json');
/** nothing listens there: a case that wrongly reached the network fails fast and stays on this host */
const IMAGE = '127.0.0.1:9/hostile/none:1';
/** a GitHub token shape the secret scanner reports; planted outside every tree */
const PLANTED = 'ghp_R7x2Lq9ZtB4mW8kP1sN6vD3yH5jF0cUaE2gT';

let work: string;
let bad: Record<'/dev/zero' | 'FIFO' | 'directory' | '2 GB sparse file', string>;
let manifests: string;
let emptyDir: string;
let key: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strata-hostile-files-'));
  const fifo = join(work, 'fifo.yaml');
  execFileSync('mkfifo', [fifo]);
  const big = join(work, 'big.yaml');
  execFileSync('truncate', ['-s', '2G', big]);
  const dir = join(work, 'dir.yaml');
  mkdirSync(dir);
  bad = { '/dev/zero': '/dev/zero', FIFO: fifo, directory: dir, '2 GB sparse file': big };
  manifests = join(work, 'manifests');
  mkdirSync(manifests);
  writeFileSync(
    join(manifests, 'pod.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default, labels: {app: web}}\nspec: {containers: [{name: c, image: nginx}]}\n',
  );
  emptyDir = join(work, 'empty');
  mkdirSync(emptyDir);
  key = join(work, 'test.key');
  writeFileSync(
    key,
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }),
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `path` names the hostile file; each case says how a command takes it. */
const FLAG_CASES: readonly [string, (path: string) => string[]][] = [
  ['--ignorefile', (p) => ['config', manifests, '-q', '--ignorefile', p]],
  ['--rules', (p) => ['config', manifests, '--rules', p]],
  ['--secret-config', (p) => ['fs', emptyDir, '--scanners', 'secret', '--secret-config', p]],
  ['verify --policy', (p) => ['verify', IMAGE, '--policy', p]],
  ['verify --key', (p) => ['verify', IMAGE, '--key', p]],
  ['sign --key', (p) => ['sign', IMAGE, '--key', p]],
  ['attest --predicate', (p) => ['attest', IMAGE, '--predicate', p, '--type', 'custom', '--key', key]],
  ['verify-bundle <bundle>', (p) => ['verify-bundle', p, '--trusted-root', TRUSTED_ROOT]],
  ['verify-bundle --trusted-root', (p) => ['verify-bundle', BUNDLE, '--trusted-root', p]],
  [
    'verify-bundle --artifact',
    (p) => ['verify-bundle', BUNDLE, '--trusted-root', TRUSTED_ROOT, '--artifact', p],
  ],
  ['netpol generate --flows', (p) => ['netpol', 'generate', manifests, '--flows', p]],
];

describe('a file named by a flag that is not a regular file of sane size', () => {
  for (const [flag, args] of FLAG_CASES) {
    describe(flag, () => {
      it.each(['/dev/zero', 'FIFO', 'directory', '2 GB sparse file'] as const)(
        'is refused as %s: exit 2, one line naming the file, in time',
        async (kind) => {
          const r = await strataHostile(args(bad[kind]), {
            env: { STRATA_PASSWORD: 'x' },
            timeoutMs: 20_000,
          });
          expectInputError(r, new RegExp(bad[kind].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
          expect(r.ms).toBeLessThan(15_000);
        },
      );
    });
  }

  describe('a verification policy naming hostile files inside it', () => {
    it.each(['/dev/zero', 'FIFO', '2 GB sparse file'] as const)(
      'refuses a trustedRoot or keys[] that is %s',
      async (kind) => {
        for (const policyText of [
          `trustedRoot: ${bad[kind]}\npolicies: []\n`,
          `policies:\n  - name: p\n    images: ["**"]\n    keys: [${bad[kind]}]\n`,
        ]) {
          const policy = join(work, 'policy.yaml');
          writeFileSync(policy, policyText);
          const r = await strataHostile(['verify', IMAGE, '--policy', policy], { timeoutMs: 20_000 });
          expectInputError(r, new RegExp(bad[kind].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        }
      },
    );
  });
});

describe('an input file of config, netpol, rbac, db import, image and paths that is not a regular file', () => {
  const COMMANDS: readonly [string, (p: string) => string[]][] = [
    ['config', (p) => ['config', p]],
    ['netpol', (p) => ['netpol', p]],
    ['rbac', (p) => ['rbac', p]],
    ['db import', (p) => ['db', 'import', p, '--db', join(work, 'db', `${Math.random()}.db`)]],
    ['image', (p) => ['image', p, '--scanners', 'secret']],
    ['paths', (p) => ['paths', p, '--offline', '--results', join(work, 'none.json')]],
    ['paths --results', (p) => ['paths', join(work, 'none.json'), '--results', p]],
  ];
  for (const [name, args] of COMMANDS) {
    it.each(['/dev/zero', 'FIFO', '2 GB sparse file'] as const)(
      `${name}: %s ends cleanly in time`,
      async (kind) => {
        mkdirSync(join(work, 'db'), { recursive: true });
        writeFileSync(join(work, 'none.json'), '[]');
        const r = await strataHostile(args(bad[kind]), { timeoutMs: 20_000 });
        expectCleanEnd(r);
        expect(r.ms).toBeLessThan(15_000);
        // refused (exit 2 naming it) or reported in errors[] (exit 0): never silently "clean"
        expect(`${r.stdout}${r.stderr}`).toContain(bad[kind]);
      },
    );
  }
});

describe('directory walks never leave the tree', () => {
  let outside: string;
  let tree: string;
  beforeAll(() => {
    outside = join(work, 'outside');
    tree = join(work, 'tree');
    mkdirSync(outside);
    mkdirSync(tree);
    writeFileSync(join(outside, 'secret.txt'), `token = "${PLANTED}"\n`);
    writeFileSync(
      join(outside, 'evil.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: planted-outside, namespace: x}\nspec: {containers: [{name: c, image: x, securityContext: {privileged: true}}]}\n',
    );
    writeFileSync(
      join(outside, 'role.yaml'),
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: planted-outside}\nrules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]\n',
    );
    writeFileSync(
      join(tree, 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: inside, namespace: x}\nspec: {containers: [{name: c, image: x}]}\n',
    );
    symlinkSync(join(outside, 'secret.txt'), join(tree, 'secret.txt'));
    symlinkSync(join(outside, 'evil.yaml'), join(tree, 'evil.yaml'));
    symlinkSync(join(outside, 'role.yaml'), join(tree, 'role.yaml'));
    symlinkSync('../outside', join(tree, 'linked-dir'));
    symlinkSync('loop.yaml', join(tree, 'loop.yaml'));
    symlinkSync('.', join(tree, 'self'));
    mkdirSync(join(tree, 'sub'));
    symlinkSync('../pod.yaml', join(tree, 'sub', 'inside-link.yaml'));
  });

  it.each([
    ['config', () => ['config', tree, '-f', 'json']],
    ['netpol', () => ['netpol', tree, '-f', 'json']],
    ['rbac', () => ['rbac', tree, '-f', 'json']],
    ['fs (secret, misconfig)', () => ['fs', tree, '--scanners', 'secret,misconfig', '-f', 'json']],
    ['image dir:', () => ['image', `dir:${tree}`, '--scanners', 'secret', '-f', 'json']],
  ])('%s: nothing from outside is read; the links out are noted', async (_name, args) => {
    const r = await strataHostile(args(), { timeoutMs: 30_000 });
    expectCleanEnd(r, [0]);
    expect(r.stdout).not.toContain(PLANTED.slice(0, 12));
    expect(r.stdout).not.toContain('planted-outside');
    const result = JSON.parse(r.stdout) as { errors: { path: string; message: string }[] };
    if (!_name.startsWith('image')) {
      const noted = result.errors.map((e) => `${e.path}: ${e.message}`).join('\n');
      expect(noted).toMatch(/evil\.yaml: skipped: a symlink that points outside/);
      expect(noted).toMatch(/loop\.yaml: skipped: a symlink loop/);
    }
  });

  it('config: a symlink that stays inside the tree is still read', async () => {
    const r = await strataHostile(['config', tree, '-f', 'json'], { timeoutMs: 30_000 });
    expectCleanEnd(r, [0]);
    expect(r.stdout).toContain('inside-link.yaml');
  });

  it('db import: neither a symlinked record nor a symlinked directory is read; loops end cleanly', async () => {
    const osv = join(work, 'osv');
    const osvOutside = join(work, 'osv-outside');
    mkdirSync(osv);
    mkdirSync(osvOutside);
    const record = (id: string) =>
      JSON.stringify({
        id,
        modified: '2024-01-01T00:00:00Z',
        affected: [{ package: { ecosystem: 'npm', name: id } }],
      });
    writeFileSync(join(osv, 'INSIDE-1.json'), record('INSIDE-1'));
    writeFileSync(join(osvOutside, 'OUTSIDE-1.json'), record('OUTSIDE-1'));
    symlinkSync(join(osvOutside, 'OUTSIDE-1.json'), join(osv, 'OUTSIDE-1.json'));
    symlinkSync(osvOutside, join(osv, 'more'));
    symlinkSync('loop.json', join(osv, 'loop.json'));
    const r = await strataHostile(['db', 'import', osv, '--db', join(work, 'walk.db'), '-f', 'json', '-q'], {
      timeoutMs: 30_000,
    });
    expectCleanEnd(r, [0]);
    const counts = JSON.parse(r.stdout) as {
      imported: number;
      badRecords: { source: string; message: string }[];
    };
    expect(counts.imported).toBe(1);
    expect(counts.badRecords.map((b) => b.source).sort()).toEqual(
      [join(osv, 'OUTSIDE-1.json'), join(osv, 'loop.json'), join(osv, 'more')].sort(),
    );
  });

  describe('oci: layouts whose blobs are symlinks out of the layout', () => {
    const layerTar = () => makeTar([{ name: 'app/secret.txt', content: `token = "${PLANTED}"\n` }]);
    const blobOf = (layout: string, digest: string) => join(layout, 'blobs/sha256', digest.slice(7));

    it.each(['layer', 'config'] as const)(
      'refuses a %s blob that is a symlink, and reads nothing',
      async (which) => {
        const layout = join(work, `layout-${which}`);
        const layer = await layerTar();
        writeLayout(layout, { layers: [layer], layerMediaType: 'application/vnd.oci.image.layer.v1.tar' });
        const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
          manifests: { digest: string }[];
        };
        const manifest = JSON.parse(readFileSync(blobOf(layout, index.manifests[0]!.digest), 'utf8')) as {
          config: { digest: string };
        };
        const victim = blobOf(layout, which === 'layer' ? sha256(layer) : manifest.config.digest);
        // the same bytes outside the layout, so even the digest check would pass: only the link betrays it
        const outsideCopy = join(work, `outside-blob-${which}`);
        copyFileSync(victim, outsideCopy);
        unlinkSync(victim);
        symlinkSync(outsideCopy, victim);
        const r = await strataHostile(
          ['image', `oci:${layout}`, '--scanners', 'secret', '-f', 'json', '-q'],
          {
            timeoutMs: 30_000,
          },
        );
        expectInputError(r, /is a symlink or leaves the layout/);
        expect(r.stdout).not.toContain(PLANTED.slice(0, 12));
      },
    );

    it('still scans the same layout when its blobs are regular files', async () => {
      const layout = join(work, 'layout-plain');
      writeLayout(layout, {
        layers: [await layerTar()],
        layerMediaType: 'application/vnd.oci.image.layer.v1.tar',
      });
      const r = await strataHostile(['image', `oci:${layout}`, '--scanners', 'secret', '-f', 'json', '-q'], {
        timeoutMs: 30_000,
      });
      expectCleanEnd(r, [0]);
      expect(r.stdout).toContain('github-pat');
    });
  });
});
