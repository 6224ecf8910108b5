import { afterEach, describe, expect, it, vi } from 'vitest';
import { debugSink } from './common.js';

describe('debugSink', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is undefined without --debug, so scans build no debug line', () => {
    expect(debugSink({})).toBeUndefined();
    expect(debugSink({ debug: false })).toBeUndefined();
  });

  it('writes one stderr line per message, never a credential or a control character', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const sink = debugSink({ debug: true })!;
    sink(
      'source registry: https://alice:hunter2secret@registry.example/v2/app, Authorization: Bearer eyJtoken.abc.def',
    );
    sink('layer\x1b[2J 1/1\nnext');
    expect(written).toHaveLength(2);
    expect(written.join('')).not.toMatch(/hunter2secret|eyJtoken|\x1b/);
    expect(written[0]).toMatch(/^strata: debug: source registry: https:\/\/.*registry\.example\/v2\/app/);
    expect(written[1]).toBe('strata: debug: layer 1/1 next\n');
  });
});
