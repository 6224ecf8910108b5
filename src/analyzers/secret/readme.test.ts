import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from './rules/index.js';

describe('README', () => {
  it('lists every built-in rule, in precedence order, with its severity', () => {
    const text = readFileSync(join(import.meta.dirname, 'README.md'), 'utf8');
    const rows = [...text.matchAll(/^\| `([a-z0-9-]+)`\s*\| ([A-Z]+)\s*\|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(BUILTIN_RULES.map((r) => [r.id, r.severity]));
  });
});
