import type { KeyObject } from 'node:crypto';
import { tolerant, z } from '../../core/schema.js';
import { keyId, signBytes, verifyBytes } from '../keys/index.js';
import { readSignedJson } from '../read-json.js';

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

/** A DSSE envelope; signatures without a `sig` string are skipped (a `keyid` is only a hint). */
const Envelope = z.object({
  payloadType: z.string(),
  payload: z.string(),
  signatures: z.array(z.unknown()).transform((list) =>
    list.flatMap((s) => {
      const sig = Signature.safeParse(s).data;
      return sig ? [{ keyid: sig.keyid ?? '', sig: sig.sig }] : [];
    }),
  ),
});
const Signature = z.object({ keyid: tolerant(z.string()), sig: z.string() });

export function parseEnvelope(bytes: Uint8Array, where: string): DsseEnvelope {
  return readSignedJson(Envelope, bytes, where, 'DSSE envelope');
}
