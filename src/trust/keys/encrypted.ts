import { randomBytes, scrypt } from 'node:crypto';
import nacl from 'tweetnacl';
import { TrustError } from '../errors.js';

/**
 * Sigstore's encrypted private key (sigstore `cryptoutils` + securesystemslib `encrypted`):
 * PEM `ENCRYPTED SIGSTORE PRIVATE KEY` (older cosign: `ENCRYPTED COSIGN PRIVATE KEY`) around a
 * JSON document; the key is scrypt(password, salt) and the PKCS#8 DER is sealed with NaCl
 * secretbox (XSalsa20-Poly1305, from tweetnacl). Go marshals []byte as standard base64.
 */
export const ENCRYPTED_PEM_TYPES = [
  'ENCRYPTED SIGSTORE PRIVATE KEY',
  'ENCRYPTED COSIGN PRIVATE KEY',
] as const;

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** securesystemslib's defaults, which cosign uses */
export const DEFAULT_SCRYPT: ScryptParams = { N: 32768, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 32;
/** refuse work factors that would let a hostile key file burn minutes of CPU or gigabytes */
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;

interface EncryptedKeyDoc {
  readonly kdf: { readonly name: 'scrypt'; readonly params: ScryptParams; readonly salt: Buffer };
  readonly cipher: { readonly name: 'nacl/secretbox'; readonly nonce: Buffer };
  readonly ciphertext: Buffer;
}

function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const maxmem = 128 * params.N * params.r * params.p + 16 * 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { ...params, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function encryptPrivateKey(
  pkcs8Der: Buffer,
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const nonce = randomBytes(nacl.secretbox.nonceLength);
  const key = await deriveKey(password, salt, params);
  const sealed = nacl.secretbox(pkcs8Der, nonce, key);
  const doc = {
    kdf: { name: 'scrypt', params: { N: params.N, r: params.r, p: params.p }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(sealed).toString('base64'),
  };
  return toPem(ENCRYPTED_PEM_TYPES[0], Buffer.from(JSON.stringify(doc)));
}

/** Opens the JSON body of an encrypted PEM; BAD_PASSWORD when the box does not open. */
export async function decryptPrivateKey(body: Buffer, password: string, where: string): Promise<Buffer> {
  const doc = parseDoc(body, where);
  const key = await deriveKey(password, doc.kdf.salt, doc.kdf.params);
  const opened = nacl.secretbox.open(doc.ciphertext, doc.cipher.nonce, key);
  if (!opened) throw new TrustError('BAD_PASSWORD', `${where}: wrong password (the key does not decrypt)`);
  return Buffer.from(opened);
}

function parseDoc(body: Buffer, where: string): EncryptedKeyDoc {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new TrustError('INVALID_KEY', `${where}: encrypted key body is not JSON`, { cause });
  }
  const doc = raw as {
    kdf?: { name?: unknown; params?: { N?: unknown; r?: unknown; p?: unknown }; salt?: unknown };
    cipher?: { name?: unknown; nonce?: unknown };
    ciphertext?: unknown;
  };
  const bad = (field: string) =>
    new TrustError('INVALID_KEY', `${where}: encrypted key: bad or missing ${field}`);
  if (doc.kdf?.name !== 'scrypt') throw bad('kdf.name (only scrypt is supported)');
  const { N, r, p } = doc.kdf.params ?? {};
  for (const [name, v] of [
    ['N', N],
    ['r', r],
    ['p', p],
  ] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw bad(`kdf.params.${name}`);
  }
  const params = { N: N as number, r: r as number, p: p as number };
  if ((params.N & (params.N - 1)) !== 0) throw bad('kdf.params.N (not a power of two)');
  if (128 * params.N * params.r * params.p > MAX_SCRYPT_MEMORY)
    throw bad('kdf.params (work factor too large)');
  if (doc.cipher?.name !== 'nacl/secretbox') throw bad('cipher.name (only nacl/secretbox is supported)');
  const salt = b64(doc.kdf.salt);
  const nonce = b64(doc.cipher.nonce);
  const ciphertext = b64(doc.ciphertext);
  if (!salt || salt.length === 0) throw bad('kdf.salt');
  if (!nonce || nonce.length !== nacl.secretbox.nonceLength) throw bad('cipher.nonce');
  if (!ciphertext || ciphertext.length < nacl.secretbox.overheadLength) throw bad('ciphertext');
  return {
    kdf: { name: 'scrypt', params, salt },
    cipher: { name: 'nacl/secretbox', nonce },
    ciphertext,
  };
}

function b64(v: unknown): Buffer | undefined {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) return undefined;
  return Buffer.from(v, 'base64');
}

export function toPem(type: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}
