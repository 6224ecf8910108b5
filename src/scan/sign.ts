import type { KeyObject } from 'node:crypto';
import {
  type AttestResult,
  attestImage,
  type PasswordSource,
  readPrivateKey,
  type SignResult,
  signImage,
} from '../trust/index.js';
import { clientOf, type RegistryOptions } from './verify.js';

export interface SigningOptions extends RegistryOptions {
  /** a private key file (cosign encrypted, PKCS#8 or SEC1 PEM) or an already-parsed key */
  readonly key: string | KeyObject;
  /** where an encrypted key's password comes from (the CLI: environment, then a prompt) */
  readonly passwords?: PasswordSource;
}

async function privateKey(options: SigningOptions): Promise<KeyObject> {
  return typeof options.key === 'string' ? readPrivateKey(options.key, options.passwords) : options.key;
}

/** `strata sign`: signs the image's digest as cosign does and pushes the signature. */
export async function signImageRef(
  image: string,
  options: SigningOptions & { readonly annotations?: Readonly<Record<string, string>> },
): Promise<SignResult> {
  const key = await privateKey(options);
  return signImage(image, {
    client: clientOf(options),
    key,
    ...(options.annotations ? { annotations: options.annotations } : {}),
  });
}

export interface AttestingOptions extends SigningOptions {
  /** predicate type shorthand or URI */
  readonly type: string;
  /** the predicate, already parsed */
  readonly predicate: unknown;
  readonly statementVersion?: 'v0.1' | 'v1';
}

/** `strata attest`: an in-toto statement about the image digest in a DSSE envelope, pushed as cosign does. */
export async function attestImageRef(image: string, options: AttestingOptions): Promise<AttestResult> {
  const key = await privateKey(options);
  return attestImage(image, {
    client: clientOf(options),
    key,
    type: options.type,
    predicate: options.predicate,
    ...(options.statementVersion ? { statementVersion: options.statementVersion } : {}),
  });
}
