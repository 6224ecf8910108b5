/**
 * Synthetic secrets for tests: random values in each credential's format, from a seeded generator
 * so a failure reproduces. None of them was ever a real credential.
 */
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const BASE64 = `${ALNUM}+/`;
export const BASE64URL = `${ALNUM}-_`;
export const HEX = '0123456789abcdef';

export class FakeSecrets {
  private state: number;

  constructor(seed = 0x5eed) {
    this.state = seed >>> 0;
  }

  /** mulberry32 */
  private next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  awsAccessKeyId(prefix = 'AKIA'): string {
    return prefix + this.chars(UPPER + DIGITS, 16);
  }

  awsSecretKey(): string {
    return this.chars(BASE64, 40);
  }

  base64(bytes: number): string {
    const raw = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) raw[i] = Math.floor(this.next() * 256);
    return raw.toString('base64');
  }

  /** a PEM block with a random body (not a parseable key, which no rule needs) */
  pem(label: string, bodyBytes = 600): string {
    const body = this.base64(bodyBytes)
      .match(/.{1,64}/g)!
      .join('\n');
    return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
  }

  jwt(
    claims: Record<string, unknown>,
    header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' },
  ): string {
    const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${enc(header)}.${enc(claims)}.${this.chars(BASE64URL, 86)}`;
  }

  /** a password with mixed classes, as a person or a generator would choose */
  password(length = 16): string {
    return this.chars(ALNUM, length - 2) + this.chars('!#%^*_', 1) + this.chars(DIGITS, 1);
  }
}
