import { TrustError } from '../errors.js';

export interface PemBlock {
  readonly type: string;
  readonly der: Buffer;
}

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/;

/** The first PEM block of a file's text (headers such as Proc-Type are not supported). */
export function parsePem(text: string, where: string): PemBlock {
  const m = PEM.exec(text);
  if (!m) throw new TrustError('INVALID_KEY', `${where}: not a PEM file`);
  const body = (m[2] ?? '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body))
    throw new TrustError('INVALID_KEY', `${where}: PEM body is not base64`);
  return { type: m[1] ?? '', der: Buffer.from(body, 'base64') };
}
