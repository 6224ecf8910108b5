import { describe, expect, it } from 'vitest';
import { bypassed, proxyFromEnv } from './proxy.js';

describe('proxyFromEnv', () => {
  const https = new URL('https://registry.example:5000/v2/');
  const http = new URL('http://registry.example/v2/');

  it.each([
    [{ HTTPS_PROXY: 'http://p:3128' }, https, 'http://p:3128'],
    [{ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, https, 'http://lower:1'],
    [{ HTTP_PROXY: 'http://p:3128' }, https, undefined],
    [{ HTTP_PROXY: 'http://p:3128' }, http, 'http://p:3128'],
    [{ http_proxy: 'p:3128' }, http, 'http://p:3128'],
    [{ HTTPS_PROXY: 'http://p:1', NO_PROXY: 'registry.example' }, https, undefined],
    [{ HTTPS_PROXY: 'http://p:1', no_proxy: '.example' }, https, undefined],
    [{ HTTPS_PROXY: 'http://p:1', NO_PROXY: 'other.example' }, https, 'http://p:1'],
    [{ HTTPS_PROXY: '' }, https, undefined],
  ])('%j for %s -> %s', (env, url, expected) => {
    expect(proxyFromEnv(url, env)).toBe(expected);
  });
});

describe('bypassed (NO_PROXY)', () => {
  it.each([
    ['*', 'https://a.b/', true],
    ['a.b', 'https://a.b/', true],
    ['a.b', 'https://x.a.b/', true],
    ['a.b', 'https://xa.b/', false],
    ['*.a.b', 'https://x.a.b/', true],
    ['a.b:8443', 'https://a.b:8443/', true],
    ['a.b:8443', 'https://a.b/', false],
    ['a.b:443', 'https://a.b/', true],
    ['127.0.0.1', 'http://127.0.0.1:5000/', true],
    ['10.0.0.0/8', 'http://10.1.2.3/', true],
    ['10.0.0.0/8', 'http://11.1.2.3/', false],
    ['fd00::/8', 'http://[fd12::1]/', true],
    ['::1', 'http://[::1]:80/', true],
    [' a.b , c.d ', 'https://c.d/', true],
    ['', 'https://a.b/', false],
  ])('NO_PROXY=%j, %s -> %s', (noProxy, url, expected) => {
    expect(bypassed(new URL(url), noProxy)).toBe(expected);
  });
});
