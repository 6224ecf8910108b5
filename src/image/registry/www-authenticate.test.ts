import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate, pickChallenge } from './www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it.each([
    [
      'Docker Hub bearer challenge',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/alpine:pull',
          },
        },
      ],
    ],
    [
      'a scope with commas inside quotes',
      'Bearer realm="https://r/token", scope="repository:a/b:pull,push"',
      [{ scheme: 'bearer', params: { realm: 'https://r/token', scope: 'repository:a/b:pull,push' } }],
    ],
    ['basic', 'Basic realm="strata-test"', [{ scheme: 'basic', params: { realm: 'strata-test' } }]],
    [
      'two challenges joined by a comma',
      'Basic realm="b", Bearer realm="https://t",service=s',
      [
        { scheme: 'basic', params: { realm: 'b' } },
        { scheme: 'bearer', params: { realm: 'https://t', service: 's' } },
      ],
    ],
    [
      'case-insensitive names, escapes, an error parameter',
      'BEARER Realm="https://t",Error="insufficient_scope",x="a\\"b"',
      [{ scheme: 'bearer', params: { realm: 'https://t', error: 'insufficient_scope', x: 'a"b' } }],
    ],
    ['a scheme without parameters', 'Negotiate', [{ scheme: 'negotiate', params: {} }]],
    ['empty', '', []],
  ])('%s', (_name, header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  it('prefers Bearer over Basic and ignores other schemes', () => {
    expect(pickChallenge(parseWwwAuthenticate('Basic realm="b", Bearer realm="t"'))?.scheme).toBe('bearer');
    expect(pickChallenge(parseWwwAuthenticate('Negotiate, Basic realm="b"'))?.scheme).toBe('basic');
    expect(pickChallenge(parseWwwAuthenticate('Negotiate'))).toBeUndefined();
  });
});
