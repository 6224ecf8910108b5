import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINDING_KINDS } from './types.js';

const SRC = fileURLToPath(new URL('../../', import.meta.url));
const HERE = fileURLToPath(new URL('./', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === HERE.replace(/\/$/, '') ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

const LITERAL = new RegExp(`\\bkind: '(${FINDING_KINDS.join('|')})'`);

describe('finding builders', () => {
  it('use the constructors of core/finding, never an object literal with a finding kind and evidence', () => {
    const offenders = sources(SRC)
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return LITERAL.test(text) && /\bevidence:/.test(text);
      })
      .map((file) => relative(SRC, file));
    expect(offenders).toEqual([]);
  });
});
