import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInsideRoot, realPathInside, type TreeEntry, type WalkOptions, walkTree } from './safe-walk.js';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'strata-safe-walk-'));
  root = join(base, 'root');
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'secret.yaml'), 'outside');
  mkdirSync(join(root, 'b', 'c'), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  writeFileSync(join(root, 'a.yaml'), 'a');
  writeFileSync(join(root, 'b', 'c', 'd.yaml'), 'd');
  writeFileSync(join(root, 'b', 'notes.txt'), 'not wanted');
  writeFileSync(join(root, 'node_modules', 'x.yaml'), 'skipped dir');
  symlinkSync('../a.yaml', join(root, 'b', 'inside.yaml'));
  symlinkSync(join(base, 'outside', 'secret.yaml'), join(root, 'out.yaml'));
  symlinkSync('../outside', join(root, 'out-dir'));
  symlinkSync('c', join(root, 'b', 'dir-link'));
  symlinkSync('loop.yaml', join(root, 'loop.yaml'));
  symlinkSync('missing', join(root, 'dangling.yaml'));
  execFileSync('mkfifo', [join(root, 'fifo.yaml')]);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function walk(options: WalkOptions): Promise<string[]> {
  const out: string[] = [];
  for await (const e of walkTree(root, options) as AsyncGenerator<TreeEntry>) {
    const rel = relative(root, e.path);
    out.push(e.kind === 'file' ? rel : `${rel} (${e.reason})`);
  }
  return out;
}

const yaml = (name: string) => name.endsWith('.yaml');

describe('walkTree', () => {
  describe('when symlinks inside the tree are allowed', () => {
    it('yields files in sorted path order, links inside as files, and notes everything else', async () => {
      expect(await walk({ symlinks: 'inside', accept: yaml, skipDir: (n) => n === 'node_modules' })).toEqual([
        'a.yaml',
        'b/c/d.yaml',
        'b/dir-link (a symlink to a directory, not followed)',
        'b/inside.yaml',
        'dangling.yaml (a dangling symlink, not followed)',
        'fifo.yaml (not a regular file)',
        'loop.yaml (a symlink loop, not followed)',
        'out-dir (a symlink that points outside the directory, not followed)',
        'out.yaml (a symlink that points outside the directory, not followed)',
      ]);
    });
  });

  describe('when no symlink may be followed', () => {
    it('notes every link it would have used, inside or out', async () => {
      const out = await walk({ symlinks: 'never', accept: yaml, skipDir: (n) => n === 'node_modules' });
      expect(out.filter((l) => !l.includes('('))).toEqual(['a.yaml', 'b/c/d.yaml']);
      expect(out).toContain('b/inside.yaml (a symlink, not followed)');
      expect(out).toContain('out.yaml (a symlink, not followed)');
    });
  });

  it('enters directories skipDir does not name, and only yields accepted names', async () => {
    const out = await walk({ symlinks: 'never', accept: (n) => n.endsWith('.txt') });
    expect(out).toEqual([
      'b/dir-link (a symlink, not followed)',
      'b/notes.txt',
      'out-dir (a symlink, not followed)',
    ]);
    expect(await walk({ symlinks: 'never', accept: (n) => n === 'x.yaml' })).toEqual(
      expect.arrayContaining(['node_modules/x.yaml']),
    );
  });
});

describe('isInsideRoot', () => {
  it.each([
    ['/r', '/r', true],
    ['/r', '/r/a/b', true],
    ['/r', '/r/..a', true],
    ['/r', '/rx/a', false],
    ['/r', '/', false],
    ['/r', '/other', false],
    ['/r/a', '/r', false],
  ])('%s contains %s: %s', (r, p, want) => {
    expect(isInsideRoot(r, p)).toBe(want);
  });
});

describe('realPathInside', () => {
  it('resolves a link that stays inside, and refuses one that leaves or loops', () => {
    expect(realPathInside(root, join(root, 'b', 'inside.yaml'))).toMatch(/root\/a\.yaml$/);
    expect(realPathInside(root, join(root, 'out.yaml'))).toBeUndefined();
    expect(realPathInside(root, join(root, 'loop.yaml'))).toBeUndefined();
    expect(realPathInside(root, join(root, 'out-dir', 'secret.yaml'))).toBeUndefined();
  });
});
