import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pae, parseEnvelope, signEnvelope, verifyEnvelope } from './dsse.js';
import { predicateTypeUri } from './predicate-types.js';
import { buildStatement, parseStatement, subjectMatches } from './statement.js';

describe('DSSE', () => {
  it('encodes PAE as the DSSE spec example does', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters, in PAE lengths', () => {
    expect(pae('t', Buffer.from('é')).toString()).toBe('DSSEv1 1 t 2 é');
  });

  it('verifies its own envelope and refuses a changed payload or another key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const env = signEnvelope(privateKey, 'application/vnd.in-toto+json', Buffer.from('{"a":1}'));
    expect(verifyEnvelope(env, [publicKey])).toHaveLength(1);
    expect(verifyEnvelope(env, [other])).toHaveLength(0);
    expect(
      verifyEnvelope({ ...env, payload: Buffer.from('{"a":2}').toString('base64') }, [publicKey]),
    ).toHaveLength(0);
  });
});

describe('in-toto statement', () => {
  const digest = `sha256:${'b'.repeat(64)}`;
  it('names the image digest as its subject', () => {
    const s = buildStatement(
      { registry: 'r.example', repository: 'x' },
      digest,
      predicateTypeUri('cyclonedx'),
      {},
    );
    expect(s).toMatchObject({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://cyclonedx.org/bom',
      subject: [{ name: 'r.example/x', digest: { sha256: 'b'.repeat(64) } }],
    });
    expect(subjectMatches(s, digest)).toBe(true);
    expect(subjectMatches(s, `sha256:${'c'.repeat(64)}`)).toBe(false);
  });

  it.each([
    ['spdx', 'https://spdx.dev/Document'],
    ['vuln', 'https://cosign.sigstore.dev/attestation/vuln/v1'],
    ['slsaprovenance', 'https://slsa.dev/provenance/v0.2'],
    ['https://example.com/p/v1', 'https://example.com/p/v1'],
  ])('maps --type %s to %s', (type, uri) => {
    expect(predicateTypeUri(type)).toBe(uri);
  });

  it('rejects an unknown shorthand', () => {
    expect(() => predicateTypeUri('sbom')).toThrow(/--type: "sbom" is neither a URI/);
  });
});

describe('reading envelopes and statements', () => {
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));

  it('skips signatures without a sig and subjects without a digest mapping', () => {
    expect(
      parseEnvelope(
        json({ payloadType: 't', payload: 'cA==', signatures: [{ sig: 's' }, { keyid: 'k' }] }),
        'x',
      ),
    ).toEqual({ payloadType: 't', payload: 'cA==', signatures: [{ keyid: '', sig: 's' }] });
    const s = parseStatement(
      json({
        _type: 'https://in-toto.io/Statement/v1',
        predicateType: 'p',
        subject: [{ name: 'a', digest: { sha256: 'ab' } }, 'x'],
      }),
      'x',
    );
    expect(s.subject).toEqual([{ name: 'a', digest: { sha256: 'ab' } }]);
  });

  it.each([
    [
      () => parseEnvelope(json({ payloadType: 't', payload: 1, signatures: [] }), 'att'),
      'att: DSSE envelope: payload: expected string, got number',
    ],
    [
      () => parseEnvelope(Buffer.from('null'), 'att'),
      'att: DSSE envelope: (root): expected object, got null',
    ],
    [
      () => parseStatement(json({ _type: 'x', predicateType: 'p', subject: [] }), 'att'),
      'att: in-toto statement: _type: expected an in-toto Statement type, got "x"',
    ],
  ])('names the field at fault (%#)', (read, message) => {
    expect(read).toThrow(expect.objectContaining({ code: 'INVALID_PAYLOAD', message }));
  });
});
