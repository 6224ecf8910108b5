import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, encryptPrivateKey } from './encrypted.js';
import { keyId } from './key-id.js';
import { generateKeyPair, parsePrivateKey, parsePublicKey } from './keys.js';
import { signBytes, verifyBytes } from './signer.js';

const pw = (value: string) => async () => value;

describe('cosign key files', () => {
  describe('when a key pair is generated', () => {
    it('writes cosign encrypted PEM whose JSON names scrypt and nacl/secretbox', async () => {
      const pair = await generateKeyPair('s3cret');
      expect(pair.encryptedPrivateKey).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
      const body = pair.encryptedPrivateKey.split('\n').slice(1, -2).join('');
      const doc = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
      expect(doc.kdf).toMatchObject({ name: 'scrypt', params: DEFAULT_SCRYPT });
      expect(Buffer.from(doc.kdf.salt, 'base64')).toHaveLength(32);
      expect(doc.cipher.name).toBe('nacl/secretbox');
      expect(Buffer.from(doc.cipher.nonce, 'base64')).toHaveLength(24);
      expect(pair.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    });

    it('reads back the same key from the encrypted and the PKCS#8 form', async () => {
      const pair = await generateKeyPair('s3cret');
      const a = await parsePrivateKey(pair.encryptedPrivateKey, 'a.key', pw('s3cret'));
      const b = await parsePrivateKey(pair.pkcs8PrivateKey, 'b.key', pw('unused'));
      const pub = parsePublicKey(pair.publicKey, 'a.pub');
      expect(keyId(a)).toBe(keyId(pub));
      expect(keyId(b)).toBe(keyId(pub));
      const sig = signBytes(a, Buffer.from('payload'));
      expect(verifyBytes(pub, Buffer.from('payload'), sig)).toBe(true);
      expect(verifyBytes(pub, Buffer.from('payloaD'), sig)).toBe(false);
    });
  });

  it.each([
    ['a wrong password', 'nope', /wrong password/],
    ['an empty password', '', /wrong password/],
  ])('refuses %s with BAD_PASSWORD', async (_name, password, message) => {
    const pair = await generateKeyPair('right');
    await expect(parsePrivateKey(pair.encryptedPrivateKey, 'k.key', pw(password))).rejects.toThrow(message);
  });

  it('refuses a work factor that would exhaust memory before deriving anything', async () => {
    const pair = await generateKeyPair('x');
    const body = pair.encryptedPrivateKey.split('\n').slice(1, -2).join('');
    const doc = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
    doc.kdf.params.N = 2 ** 30;
    const pem = `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${Buffer.from(JSON.stringify(doc)).toString('base64')}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
    await expect(parsePrivateKey(pem, 'big.key', pw('x'))).rejects.toThrow(
      /big.key: encrypted key: bad or missing kdf.params/,
    );
  });

  it('reads keys encrypted with other scrypt parameters (older cosign files)', async () => {
    const pair = await generateKeyPair('x');
    const der = (await parsePrivateKey(pair.pkcs8PrivateKey, 'k', pw(''))).export({
      format: 'der',
      type: 'pkcs8',
    });
    const pem = (await encryptPrivateKey(der, 'pw', { N: 1024, r: 8, p: 1 })).replace(/SIGSTORE/g, 'COSIGN');
    const key = await parsePrivateKey(pem, 'old.key', pw('pw'));
    expect(keyId(key)).toBe(keyId(createPublicKey(pair.publicKey)));
  });

  it.each([
    ['not PEM', 'hello', /x: not a PEM file/],
    [
      'a certificate request',
      '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n',
      /is not a private key/,
    ],
    [
      'garbage DER',
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      /cannot parse the private key/,
    ],
  ])('rejects %s with one clear line', async (_name, text, message) => {
    await expect(parsePrivateKey(text, 'x', pw(''))).rejects.toThrow(message);
  });
});
