import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_ANALYZERS } from './index.js';

const folderOf = (name: string) => new URL(`./${name.replace(/^lang\//, '')}/`, import.meta.url);

describe('LANGUAGE_ANALYZERS', () => {
  it('has unique `lang/` names in sorted order, each with a positive integer version', () => {
    const names = LANGUAGE_ANALYZERS.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...names].sort());
    for (const a of LANGUAGE_ANALYZERS) {
      expect(a.name).toMatch(/^lang\/[a-z0-9-]+$/);
      expect(Number.isInteger(a.version) && a.version > 0).toBe(true);
    }
  });

  it.each(LANGUAGE_ANALYZERS.map((a) => [a.name]))(
    '%s lives in its own folder with a test and real fixtures',
    (name) => {
      const folder = folderOf(name);
      expect(existsSync(new URL('analyzer.test.ts', folder))).toBe(true);
      expect(existsSync(new URL('fixtures/SOURCE', folder))).toBe(true);
      expect(readdirSync(new URL('fixtures/', folder)).length).toBeGreaterThan(1);
    },
  );

  it('lists every analyzer folder', () => {
    const folders = readdirSync(new URL('./', import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'shared')
      .map((d) => `lang/${d.name}`)
      .sort();
    expect(LANGUAGE_ANALYZERS.map((a) => a.name)).toEqual(folders);
  });

  it('never throws from analyze() on garbage bytes', async () => {
    const garbage = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0xff, 0xff, 0x00, 0x01, 0x02]);
    for (const a of LANGUAGE_ANALYZERS) {
      const result = await a.analyze(
        { meta: { path: 'x/garbage', size: garbage.length, mode: 0o755 }, content: garbage },
        new AbortController().signal,
      );
      expect(Array.isArray(result.packages)).toBe(true);
    }
  });
});
