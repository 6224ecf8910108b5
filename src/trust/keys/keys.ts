import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  X509Certificate,
} from 'node:crypto';
import { readInputText } from '../../core/safe-read.js';
import { TrustError } from '../errors.js';
import { decryptPrivateKey, ENCRYPTED_PEM_TYPES, encryptPrivateKey, toPem } from './encrypted.js';
import { defaultPasswordSource, type PasswordSource } from './password.js';
import { parsePem } from './pem.js';

export interface GeneratedKeyPair {
  /** `ENCRYPTED SIGSTORE PRIVATE KEY` PEM (cosign's format) */
  readonly encryptedPrivateKey: string;
  /** unencrypted PKCS#8 `PRIVATE KEY` PEM */
  readonly pkcs8PrivateKey: string;
  /** SPKI `PUBLIC KEY` PEM */
  readonly publicKey: string;
}

/** A fresh ECDSA P-256 key pair (what `cosign generate-key-pair` makes). */
export async function generateKeyPair(password: string): Promise<GeneratedKeyPair> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return {
    encryptedPrivateKey: await encryptPrivateKey(der, password),
    pkcs8PrivateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/**
 * A private key from PEM text: cosign/sigstore encrypted (password asked of `passwords`),
 * PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY`.
 */
export async function parsePrivateKey(
  text: string,
  where: string,
  passwords: PasswordSource = defaultPasswordSource,
): Promise<KeyObject> {
  const block = parsePem(text, where);
  let key: KeyObject;
  try {
    if ((ENCRYPTED_PEM_TYPES as readonly string[]).includes(block.type)) {
      const der = await decryptPrivateKey(block.der, await passwords('decrypt', where), where);
      key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } else if (block.type === 'PRIVATE KEY') {
      key = createPrivateKey({ key: block.der, format: 'der', type: 'pkcs8' });
    } else if (block.type === 'EC PRIVATE KEY') {
      key = createPrivateKey({ key: block.der, format: 'der', type: 'sec1' });
    } else {
      throw new TrustError('INVALID_KEY', `${where}: PEM type "${block.type}" is not a private key`);
    }
  } catch (cause) {
    if (cause instanceof TrustError) throw cause;
    throw new TrustError('INVALID_KEY', `${where}: cannot parse the private key`, { cause });
  }
  return checkSupported(key, where);
}

/** A public key from PEM text: SPKI `PUBLIC KEY`, or the key of a `CERTIFICATE`. */
export function parsePublicKey(text: string, where: string): KeyObject {
  const block = parsePem(text, where);
  let key: KeyObject;
  try {
    if (block.type === 'PUBLIC KEY') key = createPublicKey({ key: block.der, format: 'der', type: 'spki' });
    else if (block.type === 'CERTIFICATE') key = new X509Certificate(block.der).publicKey;
    else throw new TrustError('INVALID_KEY', `${where}: PEM type "${block.type}" is not a public key`);
  } catch (cause) {
    if (cause instanceof TrustError) throw cause;
    throw new TrustError('INVALID_KEY', `${where}: cannot parse the public key`, { cause });
  }
  return checkSupported(key, where);
}

export async function readPrivateKey(path: string, passwords?: PasswordSource): Promise<KeyObject> {
  return parsePrivateKey(await readKeyFile(path), path, passwords);
}

export async function readPublicKey(path: string): Promise<KeyObject> {
  return parsePublicKey(await readKeyFile(path), path);
}

/** The SPKI PEM of a key (private or public). */
export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ format: 'pem', type: 'spki' }).toString();
}

export { toPem };

async function readKeyFile(path: string): Promise<string> {
  try {
    return readInputText(path, { kind: 'key' });
  } catch (cause) {
    throw new TrustError('INVALID_KEY', `${path}: cannot read the key file`, { cause });
  }
}

/** ECDSA (P-256/384/521), Ed25519 and RSA keys are what cosign signs with. */
function checkSupported(key: KeyObject, where: string): KeyObject {
  const type = key.asymmetricKeyType;
  if (type === 'ec' || type === 'ed25519' || type === 'rsa' || type === 'rsa-pss') return key;
  throw new TrustError('INVALID_KEY', `${where}: unsupported key type ${type ?? 'unknown'}`);
}
