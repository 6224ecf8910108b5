import { describe, expect, it } from 'vitest';
import {
  declaredMediaType,
  firstRegistryError,
  parseReferrers,
  parseTagList,
  parseTokenResponse,
} from './responses.js';

const json = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const where = 'auth.example token service';

describe('registry JSON answers', () => {
  describe('token response', () => {
    it('takes "token" before "access_token" and renews 10 s early', () => {
      expect(parseTokenResponse(json({ token: 't', access_token: 'a', expires_in: 300 }), 0, where)).toEqual({
        value: 't',
        expiresAt: 290_000,
      });
      expect(parseTokenResponse(json({ access_token: 'a' }), 0, where)).toEqual({
        value: 'a',
        expiresAt: 50_000,
      });
    });

    it.each([
      ['{', `${where}: token response is not valid JSON`],
      ['[]', `${where}: (root): expected object, got array`],
      [{ token: 5 }, `${where}: token response has neither "token" nor "access_token"`],
    ])('refuses %j as UNAUTHORIZED, naming the service', (body, message) => {
      expect(() => parseTokenResponse(json(body), 0, where)).toThrow(
        expect.objectContaining({ code: 'UNAUTHORIZED', message }),
      );
    });
  });

  it('reads tag lists, ignoring null and non-string tags', () => {
    expect(parseTagList(json({ name: 'a', tags: ['v1', 2, 'v2'] }), 'r/a: tags')).toEqual(['v1', 'v2']);
    expect(parseTagList(json({ name: 'a', tags: null }), 'r/a: tags')).toEqual([]);
    expect(() => parseTagList(json('"x"'), 'r/a: tags')).toThrow(
      'r/a: tags: (root): expected object, got string',
    );
  });

  it('names the referrer descriptor at fault', () => {
    const body = json({ manifests: [{ mediaType: 'x', digest: 'sha256:zz', size: 1 }] });
    expect(() => parseReferrers(body, 'r/a@sha256:1 referrers')).toThrow(
      expect.objectContaining({
        code: 'REGISTRY_ERROR',
        message: 'r/a@sha256:1 referrers: manifests[0].digest: expected a digest, got "sha256:zz"',
      }),
    );
    expect(parseReferrers(json({}), 'r')).toEqual([]);
  });

  it('reads the media type a manifest declares, or none', () => {
    expect(declaredMediaType(json({ mediaType: 'm' }))).toBe('m');
    expect(declaredMediaType(json({ mediaType: 1 }))).toBe('');
    expect(declaredMediaType(json('nope'))).toBe('');
  });
});

describe('distribution error bodies', () => {
  it.each([
    [
      '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"gone"}]}',
      { code: 'MANIFEST_UNKNOWN', message: 'gone' },
    ],
    ['{"errors":[{"code":7,"message":"m"},{"code":"LATER"}]}', { message: 'm' }],
    ['{"errors":[]}', {}],
    ['null', {}],
    ['<html>', {}],
  ])('%s reads as %j', (body, detail) => {
    expect(firstRegistryError(Buffer.from(body))).toEqual(detail);
  });
});
