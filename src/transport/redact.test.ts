import { describe, expect, it } from 'vitest';
import { redact, redactUrl, registerAuthorization, sanitize } from './redact.js';

describe('redact', () => {
  it.each([
    ['Authorization: Basic dXNlcjpodW50ZXIy', 'Authorization: ***'],
    ['proxy-authorization=Bearer abc.def.ghi', 'proxy-authorization=***'],
    ['{"authorization":"Bearer eyJhbGciOi"}', '{"authorization":"***"}'],
    ['sent Bearer eyJhbGciOiJFUzI1NiJ9.e30.sig to it', 'sent Bearer *** to it'],
    ['GET https://alice:s3cret@registry.example/v2/', 'GET https://***@registry.example/v2/'],
    [
      'https://auth.example/token?service=r&access_token=abc123&x=1',
      'https://auth.example/token?service=r&access_token=***&x=1',
    ],
    [
      'https://s3.example/b?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA',
      'https://s3.example/b?X-Amz-Signature=***&X-Amz-Credential=***',
    ],
    ['{"token":"eyJhbGci","expires_in":60}', '{"token":"***","expires_in":60}'],
    ['nothing secret here: HTTP 500', 'nothing secret here: HTTP 500'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('masks a registered Basic credential wherever it comes back: base64, the pair, the password', () => {
    const b64 = Buffer.from('carol:pa55-w0rd!').toString('base64');
    registerAuthorization(`Basic ${b64}`);
    const echoed = `server says: got ${b64} which is carol:pa55-w0rd! (password pa55-w0rd!)`;
    const out = redact(echoed);
    expect(out).not.toContain(b64);
    expect(out).not.toContain('pa55-w0rd!');
  });

  it('masks a registered bearer token echoed without its scheme', () => {
    registerAuthorization('Bearer tok-0123456789abcdef');
    expect(redact('unknown token tok-0123456789abcdef')).toBe('unknown token ***');
  });
});

describe('redactUrl', () => {
  it('drops userinfo and masks token parameters', () => {
    expect(redactUrl(new URL('https://u:p%40ss@h.example:5000/v2/x?token=abc&n=1'))).toBe(
      'https://h.example:5000/v2/x?token=***&n=1',
    );
  });
});

describe('sanitize', () => {
  it('strips CSI, OSC, C1 and control characters, keeping the words', () => {
    const hostile =
      '\u001b[2J\u001b[31mPWNED\u001b[0m \u001b]0;evil title\u0007rm -rf / \u009b1mbold\rhidden\u0000';
    const out = sanitize(hostile);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(out).toBe('PWNED rm -rf / boldhidden');
  });

  it('removes bidi overrides and cuts long text', () => {
    expect(sanitize('abc\u202Edef')).toBe('abcdef');
    expect(sanitize('x'.repeat(500), 10)).toBe('xxxxxxxxxx...');
  });

  it('redacts as well', () => {
    expect(sanitize('\u001b[1mAuthorization: Bearer abcdef123456\u001b[0m')).toBe('Authorization: ***');
  });
});
