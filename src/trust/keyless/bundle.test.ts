import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBundle, parseTrustedRoot, verifyBundle } from './bundle.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const jsRoot = parseTrustedRoot(fixture('sigstore-js-trusted-root.json'), 'sigstore-js root');
const pgiRoot = parseTrustedRoot(fixture('trusted_root_pgi.json'), 'pgi root');
const artifact = Buffer.from(fixture('artifact.txt'));

describe('verifyBundle', () => {
  it.each([
    ['v01-message-signature.json', artifact],
    ['v01-dsse.json', undefined],
  ])('verifies the sigstore-js bundle %s offline against its trusted root', (name, data) => {
    const r = verifyBundle(parseBundle(fixture(name), name), {
      trustedRoot: jsRoot,
      ...(data ? { artifact: data } : {}),
    });
    expect(r).toMatchObject({ ok: true });
  });

  it('verifies the cosign OCI attestation bundle and reports its signer', () => {
    const r = verifyBundle(parseBundle(fixture('oci-attestation.sigstore.json'), 'att'), {
      trustedRoot: pgiRoot,
    });
    expect(r.ok).toBe(true);
    expect(r.identity?.issuer).toMatch(/^https:\/\//);
    expect(r.identity?.subject).toContain('@');
  });

  it('fails when the certificate identity does not match', () => {
    const bundle = parseBundle(fixture('oci-attestation.sigstore.json'), 'att');
    const r = verifyBundle(bundle, {
      trustedRoot: pgiRoot,
      identities: [{ subject: 'someone-else@example.com', issuer: 'https://accounts.google.com' }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/certificate identity ".*" is not "someone-else@example.com"/);
  });

  it('fails when the OIDC issuer does not match the pattern', () => {
    const bundle = parseBundle(fixture('oci-attestation.sigstore.json'), 'att');
    const r = verifyBundle(bundle, {
      trustedRoot: pgiRoot,
      identities: [{ subjectRegExp: '.*', issuerRegExp: 'https://issuer\\.example' }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/OIDC issuer .* does not match/);
  });

  it('fails against a trusted root of another Sigstore instance (certificate chains to no CA there)', () => {
    const r = verifyBundle(parseBundle(fixture('oci-attestation.sigstore.json'), 'att'), {
      trustedRoot: jsRoot,
    });
    expect(r.ok).toBe(false);
  });

  it('fails when the artifact is not what was signed', () => {
    const r = verifyBundle(parseBundle(fixture('v01-message-signature.json'), 'v01'), {
      trustedRoot: jsRoot,
      artifact: Buffer.from('goodbye, world!'),
    });
    expect(r).toMatchObject({ ok: false });
  });

  it('rejects a file that is not a bundle with a clear error', () => {
    expect(() => parseBundle('{"mediaType":"x"}', 'x.json')).toThrow(/x.json: not a valid Sigstore bundle/);
  });
});
