import type { KeyObject } from 'node:crypto';
import { TrustError } from '../errors.js';
import { keyId, signBytes, verifyBytes } from '../keys/index.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseEnvelope {
  readonly payloadType: string;
  /** base64 (standard) of the payload bytes */
  readonly payload: string;
  readonly signatures: readonly { readonly keyid: string; readonly sig: string }[];
}

/** DSSE's pre-authentication encoding: `DSSEv1 <len> <type> <len> <body>` (lengths in bytes). */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${body.length} `),
    Buffer.from(body),
  ]);
}

/** Signs like cosign's DSSE wrapper: one signature with an empty keyid. */
export function signEnvelope(key: KeyObject, payloadType: string, body: Uint8Array): DsseEnvelope {
  const sig = signBytes(key, pae(payloadType, body)).toString('base64');
  return { payloadType, payload: Buffer.from(body).toString('base64'), signatures: [{ keyid: '', sig }] };
}

/** The ids of `keys` that verify at least one of the envelope's signatures. */
export function verifyEnvelope(envelope: DsseEnvelope, keys: readonly KeyObject[]): string[] {
  const message = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
  return keys
    .filter((k) => envelope.signatures.some((s) => verifyBytes(k, message, Buffer.from(s.sig, 'base64'))))
    .map(keyId);
}

export function parseEnvelope(bytes: Uint8Array, where: string): DsseEnvelope {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new TrustError('INVALID_PAYLOAD', `${where}: DSSE envelope is not JSON`, { cause });
  }
  const d = doc as { payloadType?: unknown; payload?: unknown; signatures?: unknown };
  if (typeof d.payloadType !== 'string')
    throw new TrustError('INVALID_PAYLOAD', `${where}: envelope has no payloadType`);
  if (typeof d.payload !== 'string')
    throw new TrustError('INVALID_PAYLOAD', `${where}: envelope has no payload`);
  if (!Array.isArray(d.signatures))
    throw new TrustError('INVALID_PAYLOAD', `${where}: envelope has no signatures`);
  const signatures = d.signatures.flatMap((s: { keyid?: unknown; sig?: unknown }) =>
    typeof s?.sig === 'string' ? [{ keyid: typeof s.keyid === 'string' ? s.keyid : '', sig: s.sig }] : [],
  );
  return { payloadType: d.payloadType, payload: d.payload, signatures };
}
