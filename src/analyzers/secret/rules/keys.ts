import type { SecretRule } from '../types.js';

const BEGIN = '-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----';
const BODY = String.raw`(?<secret>(?:(?!-----)[\s\S]){32,16384})`;
const STOP = '-----END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----';

/** RSA, EC, DSA, OpenSSH, PKCS#8 (encrypted or not) and PGP private key blocks. */
export const keyRules: readonly SecretRule[] = [
  {
    id: 'private-key',
    category: 'AsymmetricPrivateKey',
    title: 'Asymmetric private key',
    severity: 'HIGH',
    regex: new RegExp(BEGIN + BODY + STOP),
    keywords: ['private key'],
    lineAt: 'match',
    // a real key body is mostly base64; `...` or `<your key here>` is not
    validate: (secret) => (secret.match(/[A-Za-z0-9+/]/g)?.length ?? 0) >= 64,
  },
];
