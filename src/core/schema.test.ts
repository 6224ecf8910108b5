import { describe, expect, it } from 'vitest';
import { InputError, parseJsonText, parseWith, safeParseWith, z } from './schema.js';

const Pod = z.object({
  metadata: z.object({ name: z.string() }),
  spec: z.object({ containers: z.array(z.object({ image: z.string() })) }),
});

describe('parseWith', () => {
  it('returns the typed value when the input has the shape', () => {
    const pod = parseWith(
      Pod,
      { metadata: { name: 'a' }, spec: { containers: [{ image: 'x' }] } },
      'pod.yaml',
    );
    expect(pod.spec.containers[0]?.image).toBe('x');
  });

  it('names the source and the field path of the first problem', () => {
    const bad = { metadata: { name: 'a' }, spec: { containers: [{ image: 7 }] } };
    expect(() => parseWith(Pod, bad, 'pod.yaml')).toThrow(InputError);
    expect(() => parseWith(Pod, bad, 'pod.yaml')).toThrow(
      'pod.yaml: spec.containers[0].image: expected string, got number',
    );
  });

  it('quotes keys that are not identifiers', () => {
    const S = z.record(z.string(), z.object({ auth: z.string() }));
    const r = safeParseWith(S, { 'reg.example:5000': { auth: 1 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^\["reg\.example:5000"\]\.auth: expected string/);
  });
});

describe('parseJsonText', () => {
  it('names the source of broken JSON', () => {
    expect(() => parseJsonText('{', 'config.json')).toThrow(/^config\.json: not valid JSON/);
  });
});
