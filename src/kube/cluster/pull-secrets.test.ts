import { describe, expect, it } from 'vitest';
import { parsePullSecret } from './pull-secrets.js';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64');

describe('parsePullSecret', () => {
  it('reads kubernetes.io/dockerconfigjson auths', () => {
    const secret = {
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': b64({ auths: { '127.0.0.1:5000': { auth: b64('u:p'), email: 'x' } } }) },
    };
    expect(parsePullSecret('ns/regcred', secret)).toEqual({
      ok: true,
      name: 'ns/regcred',
      auths: [{ key: '127.0.0.1:5000', auth: b64('u:p') }],
    });
  });

  it('reads the older kubernetes.io/dockercfg (no auths wrapper)', () => {
    const secret = {
      data: { '.dockercfg': b64({ 'https://reg.example': { username: 'u', password: 'p' } }) },
    };
    const read = parsePullSecret('ns/old', secret);
    expect(read).toEqual({
      ok: true,
      name: 'ns/old',
      auths: [{ key: 'https://reg.example', username: 'u', password: 'p' }],
    });
  });

  it.each([
    ['an Opaque secret', { data: { token: b64('x') } }, 'no .dockerconfigjson'],
    ['bad JSON', { data: { '.dockerconfigjson': b64('{nope') } }, 'not base64 JSON'],
    ['no data at all', {}, 'no .dockerconfigjson'],
  ])('refuses %s with a reason', (_what, secret, reason) => {
    const read = parsePullSecret('ns/s', secret);
    expect(read.ok).toBe(false);
    expect(read.ok === false && read.reason).toContain(reason);
  });
});
