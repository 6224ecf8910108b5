import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDeps, folderCycles } from './check-deps.mjs';

const fixture = (name) => fileURLToPath(new URL(`./fixtures/check-deps/${name}/`, import.meta.url));

// each case runs depcruise once (about a second); `npm run lint` runs it on the repository itself
describe('the dependency check of npm run lint', { timeout: 30_000 }, () => {
  it('passes a tree whose folders depend one way', () => {
    expect(checkDeps(fixture('clean'))).toEqual([]);
  });

  it('fails on a cycle between two folders even when no file cycle exists', () => {
    const problems = checkDeps(fixture('cycle'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^folder cycle: a <-> b\n/);
    expect(problems[0]).toContain('src/b/w.ts -> src/a/index.ts');
  });

  it('fails on an import of cli/ from another module', () => {
    expect(checkDeps(fixture('cli'))).toContain('no-cli-imports: src/lib/index.ts -> src/cli/main.ts');
  });

  it('fails on an import past another module index.ts', () => {
    expect(checkDeps(fixture('deep'))).toEqual(['through-index: src/a/deep.ts -> src/b/z.ts']);
  });
});

describe('folderCycles', () => {
  const edges = (...keys) => new Map(keys.map((k) => [k, []]));
  it.each([
    [['a -> b', 'b -> c'], []],
    [['a -> b', 'b -> a'], [['a', 'b']]],
    [['a -> b', 'b -> c', 'c -> a', 'c -> d'], [['a', 'b', 'c']]],
    [['a -> b', 'b -> a', 'c -> d', 'd -> c'], [['a', 'b'], ['c', 'd']]],
  ])('%j has the cycles %j', (keys, cycles) => {
    expect(folderCycles(edges(...keys))).toEqual(cycles);
  });
});
