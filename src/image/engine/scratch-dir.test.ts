import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDir } from './scratch-dir.js';

const parent = mkdtempSync(join(tmpdir(), 'strata-scratch-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('scratchDir', () => {
  it('is removed by remove(), once, and stops watching the process', () => {
    const before = process.listenerCount('SIGINT');
    const d = scratchDir(parent, 'a-');
    expect(existsSync(d.path)).toBe(true);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    d.remove();
    d.remove();
    expect(existsSync(d.path)).toBe(false);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
